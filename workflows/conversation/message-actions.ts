import { condition, patched, setHandler } from '@temporalio/workflow';
import type { ConversationActivities } from '../../activities/conversations/index.js';
import {
  cancelMessageUpdate, RejectionType, retryMessageUpdate, type ConversationRef, type MessageActionInput, type OutboundItem,
} from './definitions.js';
import { reject } from './agent-actions.js';
import { trackOutbound, type WorkingState } from './state.js';

export interface MessageActionContext {
  ref: ConversationRef;
  state: WorkingState;
  records: Pick<ConversationActivities, 'requeueMessage' | 'markMessageCanceled'>;
}

const retryable = new Set(['failed', 'undelivered', 'canceled']);

/** Agents retry a failed reply and cancel one not yet sent; both idempotent. */
export function registerMessageActions(ctx: MessageActionContext): void {
  const { ref, state } = ctx;
  const queued = (messageId: string) => state.outbox.find((item) => item.messageId === messageId);
  const statusOf = (messageId: string) => state.recentOutbound.find((item) => item.messageId === messageId)?.status;
  const requeueing = new Set<string>();

  setHandler(
    retryMessageUpdate,
    async ({ messageId }: MessageActionInput) => {
      if (requeueing.has(messageId)) await condition(() => !requeueing.has(messageId));
      // The database may already say `failed` (so the agent retries) while the lane is still leaving it: an update
      // handled in the same activation as that write's completion runs first. Wait for the lane, then send it again.
      if (queued(messageId)?.failing && patched('retry-waits-for-failing-reply')) await condition(() => !queued(messageId));
      if (queued(messageId)) return { messageId, status: statusOf(messageId) ?? 'pending' };
      requeueing.add(messageId);
      try {
        // The database decides for replies this run does not remember (older, or from before a continue-as-new).
        const { requeued, status } = await ctx.records.requeueMessage({ conversation: ref, messageId });
        if (!requeued) throw reject(`Only a failed or canceled reply can be sent again; this one is ${status}`, RejectionType.messageNotRetryable);
        state.outbox.push({ messageId, conversationId: ref.conversationId, attempts: 0 });
        trackOutbound(state, messageId, 'pending');
        return { messageId, status: 'pending' as const };
      } finally {
        requeueing.delete(messageId);
      }
    },
    {
      validator: ({ conversationId, messageId }: MessageActionInput) => {
        if (conversationId !== ref.conversationId || state.phase !== 'open') throw reject('This conversation is closed', RejectionType.conversationClosed);
        const status = statusOf(messageId);
        if (status && !queued(messageId) && !requeueing.has(messageId) && !retryable.has(status)) {
          throw reject(`Only a failed or canceled reply can be sent again; this one is ${status}`, RejectionType.messageNotRetryable);
        }
      },
    },
  );

  const cancelNow = async (item: OutboundItem) => {
    state.outbox.splice(state.outbox.indexOf(item), 1);
    await ctx.records.markMessageCanceled({ conversation: { ...ref, conversationId: item.conversationId }, messageId: item.messageId });
    trackOutbound(state, item.messageId, 'canceled');
  };

  setHandler(
    cancelMessageUpdate,
    async ({ messageId }: MessageActionInput) => {
      const item = queued(messageId);
      if (!item) return { messageId, status: 'canceled' as const };
      const beingSent = state.busy.outbound && state.outbox[0] === item;
      if (!beingSent) {
        await cancelNow(item);
      } else {
        // The delivery lane owns its current reply: it cancels between attempts, or reports that it went out first.
        item.cancelRequested = true;
        await condition(() => !state.outbox.includes(item));
      }
      const status = statusOf(messageId) ?? 'canceled';
      if (status !== 'canceled') throw reject(`Too late to cancel: the reply is ${status}`, RejectionType.messageNotCancelable);
      return { messageId, status };
    },
    {
      validator: ({ conversationId, messageId }: MessageActionInput) => {
        const item = queued(messageId);
        const ours = conversationId === ref.conversationId || item?.conversationId === conversationId;
        if (!ours) throw reject('This conversation is closed', RejectionType.conversationClosed);
        if (!item && statusOf(messageId) !== 'canceled') {
          const status = statusOf(messageId);
          throw reject(status ? `Too late to cancel: the reply is ${status}` : 'No reply waiting for delivery has this id', RejectionType.messageNotCancelable);
        }
      },
    },
  );
}
