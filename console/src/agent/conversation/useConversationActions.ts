import { useState } from 'preact/hooks';
import { post } from '../../api/client';
import { announce } from '../../common/announcer';

export interface TransferInput {
  toAgentId?: string;
  toQueueId?: string;
  note: string;
}

interface Effects {
  /** Re-reads the conversation (and the transcript, for notes) after a change. */
  reload(): Promise<unknown>;
  /** Where focus goes once the button pressed has gone (the state changed under it). */
  focusAfter(action: 'accept' | 'close' | 'reopen' | 'transfer'): void;
}

/** Accept, close, reopen and transfer: one at a time, announced, the refusal kept to be shown. */
export function useConversationActions(conversationId: string, effects: Effects) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const path = (action: string) => `/api/v1/conversations/${encodeURIComponent(conversationId)}/${action}`;

  const run = async (action: 'accept' | 'close' | 'reopen' | 'transfer', body: unknown, done: string): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await post(path(action), body);
      announce(done);
      await effects.reload();
      effects.focusAfter(action);
    } finally {
      setBusy(false);
    }
  };
  const shown = (action: () => Promise<void>) => () => action().catch(setError);

  return {
    busy,
    error,
    clearError: () => setError(undefined),
    accept: shown(() => run('accept', {}, 'Conversation accepted: it is yours')),
    close: shown(() => run('close', {}, 'Conversation closed')),
    reopen: shown(() => run('reopen', {}, 'Conversation reopened')),
    /** Throws the refusal: the transfer dialog shows it next to the note. */
    transfer: (input: TransferInput, target: string) => {
      const body = { note: input.note, ...(input.toAgentId ? { toAgentId: input.toAgentId } : { toQueueId: input.toQueueId }) };
      return run('transfer', body, `Conversation transferred to ${target}`);
    },
  };
}
