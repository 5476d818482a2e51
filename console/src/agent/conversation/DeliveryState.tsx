import { useState } from 'preact/hooks';
import type { Message } from '../../api/types';
import { ErrorNote } from '../../common/ErrorNote';
import { formatTime } from './format';

export interface ReplyActions {
  retry(messageId: string): Promise<void>;
  cancel(messageId: string): Promise<void>;
}

const labels: Record<string, string> = {
  pending: 'Sending', retrying: 'Retrying', queued: 'Handed to the provider', sent: 'Sent', delivered: 'Delivered', read: 'Read',
  undelivered: 'Not delivered', failed: 'Failed', canceled: 'Canceled',
};

const tones: Record<string, string> = {
  pending: 'waiting', retrying: 'warn', queued: 'waiting', sent: 'ok', delivered: 'ok', read: 'ok', undelivered: 'bad', failed: 'bad', canceled: 'muted',
};

const retryable = new Set(['failed', 'undelivered', 'canceled']);
const cancelable = new Set(['pending', 'retrying']);

function detail(message: Message): string | undefined {
  if (message.status === 'retrying' && message.retry) {
    const attempts = `${message.retry.attempts} ${message.retry.attempts === 1 ? 'attempt' : 'attempts'} so far`;
    return `${attempts}; next attempt at ${formatTime(message.retry.nextAttemptAt)}`;
  }
  if ((message.status === 'failed' || message.status === 'undelivered') && message.failure) return message.failure.reason;
  return undefined;
}

/** A reply's delivery, in words, with what the agent can do about it. */
export function DeliveryState(props: { message: Message; textId: string; canAct: boolean; actions: ReplyActions }) {
  const { message } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const act = async (action: 'retry' | 'cancel') => {
    setBusy(true);
    setError(undefined);
    try {
      await props.actions[action](message.id);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const more = detail(message);
  return (
    <div class="delivery">
      <p class={`delivery-state tone-${tones[message.status] ?? 'muted'}`} data-status={message.status}>
        <span class="delivery-label">Delivery: {labels[message.status] ?? message.status}</span>
        {more && <span class="delivery-detail"> — {more}</span>}
      </p>
      {props.canAct && retryable.has(message.status) && (
        <button type="button" disabled={busy} aria-describedby={props.textId} onClick={() => act('retry')}>Retry</button>
      )}
      {props.canAct && cancelable.has(message.status) && (
        <button type="button" disabled={busy} aria-describedby={props.textId} onClick={() => act('cancel')}>Cancel sending</button>
      )}
      <ErrorNote error={error} />
    </div>
  );
}
