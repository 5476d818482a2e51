import { ActivityFailure, ApplicationFailure, condition, proxyActivities, TimeoutFailure } from '@temporalio/workflow';
import type { ConversationActivities } from '../../activities/conversations/index.js';
import { deliveryDefaults, type ConversationInput, type ConversationRef, type OutboundItem, type OutboundStatus } from './definitions.js';
import { runLane, trackOutbound, type WorkingState } from './state.js';

/**
 * One attempt per activity: the lane, not the activity retry policy, owns retries, so the transcript can
 * show `retrying` with the attempt count and next attempt, and an agent can cancel between attempts.
 * The heartbeat timeout notices a dead worker in seconds; the activity bounds its provider calls to fit
 * inside its own start-to-close timeout, so two attempts never run at once.
 */
const delivery = proxyActivities<ConversationActivities>({
  startToCloseTimeout: '150 seconds',
  heartbeatTimeout: '20 seconds',
  retry: { maximumAttempts: 1 },
});

export interface OutboundLaneContext {
  ref: ConversationRef;
  state: WorkingState;
  input: ConversationInput;
  records: Pick<ConversationActivities, 'markMessageFailed' | 'markMessageRetrying' | 'markMessageCanceled'>;
  touch: () => void;
}

interface AttemptFailure {
  code: string;
  reason: string;
  retryable: boolean;
  retryAfterMs?: number;
}

function describeFailure(error: unknown): AttemptFailure {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof TimeoutFailure) return { code: 'attempt_timed_out', reason: 'The send attempt did not finish (worker stopped or provider too slow)', retryable: true };
  if (!(cause instanceof ApplicationFailure)) return { code: 'unknown', reason: 'The send attempt failed unexpectedly', retryable: true };
  const details = cause.details?.[0] as { code?: string; reason?: string; retryAfterMs?: number } | undefined;
  return {
    code: details?.code ?? cause.type ?? 'unknown',
    reason: details?.reason ?? cause.message,
    retryable: cause.type !== 'DeliveryRejected',
    ...(details?.retryAfterMs ? { retryAfterMs: details.retryAfterMs } : {}),
  };
}

const hours = (ms: number) => (ms >= 3_600_000 ? `${Math.round(ms / 360_000) / 10} h` : `${Math.round(ms / 60_000)} min`);

/** Delivers replies one at a time, in order, each retried with backoff until sent, refused, canceled or past the horizon. */
export function outboundLane(ctx: OutboundLaneContext): Promise<void> {
  const { state, input } = ctx;
  const policy = input.delivery ?? deliveryDefaults;
  const refFor = (item: OutboundItem): ConversationRef => ({ ...ctx.ref, conversationId: item.conversationId });

  const cancel = async (item: OutboundItem) => {
    await ctx.records.markMessageCanceled({ conversation: refFor(item), messageId: item.messageId });
    trackOutbound(state, item.messageId, 'canceled');
  };

  /** Returns false when the run is exiting with the item still queued (it is carried to the next run). */
  const deliver = async (item: OutboundItem): Promise<boolean> => {
    for (;;) {
      if (item.cancelRequested) return cancel(item).then(() => true);
      if (item.nextAttemptAt) {
        const wait = new Date(item.nextAttemptAt).getTime() - Date.now();
        if (wait > 0) await condition(() => state.exiting || !!item.cancelRequested, wait);
        if (item.cancelRequested) continue;
        if (state.exiting && new Date(item.nextAttemptAt).getTime() > Date.now()) return false;
      }
      item.firstAttemptAt ??= new Date().toISOString();
      try {
        const sent = await delivery.deliverMessage({ conversation: refFor(item), messageId: item.messageId, lastInboundAt: state.lastInboundAt });
        trackOutbound(state, item.messageId, sent.status as OutboundStatus, { attempts: item.attempts + 1 });
        return true;
      } catch (error) {
        item.attempts++;
        const failure = describeFailure(error);
        const backoff = Math.min(policy.maxRetryMs, policy.initialRetryMs * 2 ** (item.attempts - 1));
        const delay = Math.max(backoff, failure.retryAfterMs ?? 0);
        const giveUpAt = new Date(item.firstAttemptAt).getTime() + policy.horizonMs;
        if (!failure.retryable || Date.now() + delay > giveUpAt) {
          const final = failure.retryable
            ? { code: failure.code, reason: `Not sent: the provider kept failing for ${hours(policy.horizonMs)} (${item.attempts} attempts; last: ${failure.reason}). Retry it when the provider is back.` }
            : { code: failure.code, reason: failure.reason };
          item.failing = true;
          await ctx.records.markMessageFailed({ conversation: refFor(item), messageId: item.messageId, failure: final });
          trackOutbound(state, item.messageId, 'failed', { failure: final, attempts: item.attempts });
          return true;
        }
        item.nextAttemptAt = new Date(Date.now() + delay).toISOString();
        const retrying = { attempts: item.attempts, nextAttemptAt: item.nextAttemptAt, failure: { code: failure.code, reason: failure.reason } };
        await ctx.records.markMessageRetrying({ conversation: refFor(item), messageId: item.messageId, ...retrying });
        trackOutbound(state, item.messageId, 'retrying', retrying);
      }
    }
  };

  return runLane(state, 'outbound', () => state.outbox, async (item) => {
    const done = await deliver(item);
    if (done) ctx.touch();
    return done;
  });
}
