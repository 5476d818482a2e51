import type { ConversationRef } from '../../workflows/conversation/definitions.js';
import type { MessageOwner, MessageStatus } from '../../db/repositories/messages.js';
import { publishMessageStatus } from '../routing/conversation-events.js';
import { repositories, type ConversationActivityDependencies } from './dependencies.js';

type Failure = { code: string; reason: string };

/** Every outcome names the conversation it is for: a message id alone never reaches another conversation's message. */
const ownerOf = (ref: ConversationRef): MessageOwner => ({ brandId: ref.brandId, conversationId: ref.conversationId });

/** What the delivery lane decides about a reply, recorded on the message and told to the agent live. */
export function deliveryOutcomeActivities(deps: ConversationActivityDependencies) {
  const { messages } = repositories(deps.db);
  const announce = (ref: ConversationRef, messageId: string, status: MessageStatus, key: string, details: Record<string, unknown> = {}) =>
    publishMessageStatus(deps.db, { conversationId: ref.conversationId, messageId, status, key, details });

  return {
    async markMessageFailed(input: { conversation: ConversationRef; messageId: string; failure: Failure }) {
      const owner = ownerOf(input.conversation);
      await messages.recordStatus(owner, input.messageId, { status: 'failed', at: new Date(), errorCode: input.failure.code, failure: input.failure });
      const attempts = (await messages.get(owner, input.messageId))?.statusHistory.filter((entry) => entry.status === 'pending').length ?? 1;
      await announce(input.conversation, input.messageId, 'failed', `status:${input.messageId}:failed:${attempts}`, { failure: input.failure });
    },

    async markMessageRetrying(input: { conversation: ConversationRef; messageId: string; attempts: number; nextAttemptAt: string; failure: Failure }) {
      const nextAttemptAt = new Date(input.nextAttemptAt);
      await messages.recordRetrying(ownerOf(input.conversation), input.messageId, { attempts: input.attempts, nextAttemptAt, at: new Date(), failure: input.failure });
      await announce(input.conversation, input.messageId, 'retrying', `status:${input.messageId}:retrying:${input.nextAttemptAt}`, {
        attempts: input.attempts, nextAttemptAt: input.nextAttemptAt, failure: input.failure,
      });
    },

    async markMessageCanceled(input: { conversation: ConversationRef; messageId: string }) {
      await messages.recordStatus(ownerOf(input.conversation), input.messageId, { status: 'canceled', at: new Date() });
      await announce(input.conversation, input.messageId, 'canceled', `status:${input.messageId}:canceled`);
    },

    /** An agent's retry: only a final, unsent state of a reply of this conversation goes back to pending. */
    async requeueMessage(input: { conversation: ConversationRef; messageId: string }): Promise<{ requeued: boolean; status: MessageStatus | 'unknown' }> {
      const message = await messages.get(ownerOf(input.conversation), input.messageId);
      if (!message || message.direction !== 'outbound' || !message.text) {
        return { requeued: false, status: 'unknown' };
      }
      if (message.status === 'pending') return { requeued: true, status: 'pending' };
      if (!['failed', 'undelivered', 'canceled'].includes(message.status)) return { requeued: false, status: message.status };
      await messages.requeue(message, new Date());
      await announce(input.conversation, input.messageId, 'pending', `status:${input.messageId}:requeued:${message.statusHistory.length}`);
      return { requeued: true, status: 'pending' };
    },
  };
}
