import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import type { Conversation } from '../../api/types';
import { Dialog } from '../../common/Dialog';
import { ErrorNote } from '../../common/ErrorNote';
import type { TransferInput } from './useConversationActions';
import { useTransferTargets } from './useTransferTargets';

interface TransferDialogProps {
  open: boolean;
  conversation: Conversation;
  meId: string;
  onClose: () => void;
  onTransfer: (input: TransferInput, target: string) => Promise<void>;
}

const availabilityWords = { online: 'online', away: 'away', offline: 'offline' } as const;

/** Hand the conversation to an agent or a queue, with an internal note for whoever takes it. */
export function TransferDialog(props: TransferDialogProps) {
  const targets = useTransferTargets(props.open);
  const agents = targets.agents.filter((agent) => agent.id !== props.meId);
  const [kind, setKind] = useState<'agent' | 'queue'>('agent');
  const [agentId, setAgentId] = useState('');
  const [queueId, setQueueId] = useState('');
  const [note, setNote] = useState('');
  const [noteMissing, setNoteMissing] = useState(false);
  const [error, setError] = useState<unknown>();
  const [sending, setSending] = useState(false);

  useEffect(() => {
    if (!props.open) return;
    setError(undefined);
    setNoteMissing(false);
  }, [props.open]);

  const chosenAgent = agents.find((agent) => agent.id === agentId) ?? agents[0];
  const chosenQueue = targets.queues.includes(queueId) ? queueId : (targets.queues.find((queue) => queue !== props.conversation.queueId) ?? targets.queues[0]);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (sending) return;
    if (!note.trim()) {
      setNoteMissing(true);
      document.getElementById('transfer-note')?.focus();
      return;
    }
    const input: TransferInput = kind === 'agent' ? { toAgentId: chosenAgent?.id, note } : { toQueueId: chosenQueue, note };
    if (!input.toAgentId && !input.toQueueId) return setError(new ApiError(400, 'no_target', `Choose ${kind === 'agent' ? 'an agent' : 'a queue'} first`));
    setSending(true);
    setError(undefined);
    try {
      await props.onTransfer(input, kind === 'agent' ? chosenAgent!.name : `the ${chosenQueue} queue`);
      setNote('');
      props.onClose();
    } catch (caught) {
      setError(caught);
    } finally {
      setSending(false);
    }
  };

  const sensitive = error instanceof ApiError && error.code === 'sensitive_data_in_text';
  return (
    <Dialog title="Transfer the conversation" open={props.open} onClose={props.onClose}>
      <form class="stack transfer-form" onSubmit={submit} noValidate>
        <fieldset class="transfer-kind">
          <legend>Transfer to</legend>
          <label><input type="radio" name="transfer-kind" checked={kind === 'agent'} onChange={() => setKind('agent')} /> An agent</label>
          <label><input type="radio" name="transfer-kind" checked={kind === 'queue'} onChange={() => setKind('queue')} /> A queue</label>
        </fieldset>
        {!targets.loaded && <p role="status">Loading agents and queues…</p>}
        <ErrorNote error={targets.error} />
        {kind === 'agent' ? (
          <label>
            Agent
            <select value={chosenAgent?.id ?? ''} onChange={(e) => setAgentId(e.currentTarget.value)}>
              {agents.length === 0 && <option value="">No other agent</option>}
              {agents.map((agent) => (
                <option key={agent.id} value={agent.id}>{agent.name} ({availabilityWords[agent.availability]})</option>
              ))}
            </select>
          </label>
        ) : (
          <label>
            Queue
            <select value={chosenQueue ?? ''} onChange={(e) => setQueueId(e.currentTarget.value)}>
              {targets.queues.map((queue) => (
                <option key={queue} value={queue}>{queue}{queue === props.conversation.queueId ? ' (current)' : ''}</option>
              ))}
            </select>
          </label>
        )}
        <label>
          Note for whoever takes it (required)
          <textarea
            id="transfer-note" rows={3} maxLength={1000} value={note} aria-required="true" aria-invalid={noteMissing}
            aria-describedby="transfer-note-hint" onInput={(e) => { setNote(e.currentTarget.value); setNoteMissing(false); }}
          />
        </label>
        <p class="hint" id="transfer-note-hint">Internal: the consumer never sees it. No card numbers or other sensitive data.</p>
        {noteMissing && <p class="error" role="alert">Write a note for whoever takes the conversation.</p>}
        <ErrorNote error={error} />
        {sensitive && <p class="hint">Remove the number from the note; collect such details with a secure form instead.</p>}
        <div class="row">
          <button type="submit" class="primary" aria-disabled={sending}>{sending ? 'Transferring…' : 'Transfer'}</button>
          <button type="button" onClick={props.onClose}>Cancel</button>
        </div>
      </form>
    </Dialog>
  );
}
