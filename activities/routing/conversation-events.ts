import type { Db } from 'mongodb';
import { Collections } from '../../db/collections.js';
import type { ConversationDocument } from '../../db/repositories/conversations.js';
import { EventLog, type EventType } from '../../db/repositories/events.js';

/** Who sees events of a conversation: its agent, else everyone working its queue (managers see all anyway). */
export function audienceOf(conversation: { agentId?: string; queueId: string }, extra: (string | undefined)[] = []): string[] {
  const audience = conversation.agentId ? [conversation.agentId] : [`queue:${conversation.queueId}`];
  for (const id of extra) if (id && !audience.includes(id)) audience.push(id);
  return audience;
}

/** Publishes one event about a conversation, addressed from its current assignment. */
export async function publishConversationEvent(
  db: Db,
  input: {
    conversationId: string;
    type: EventType;
    key: string;
    data: Record<string, unknown>;
    alsoTo?: (string | undefined)[];
    /** Instead of the conversation's audience: just these users (secure forms: their sender). */
    onlyTo?: string[];
    /** The conversation as the caller just read it (its brand and assignment): not read again. */
    conversation?: Pick<ConversationDocument, 'brandId' | 'agentId' | 'queueId'>;
  },
): Promise<void> {
  const conversation = input.conversation ?? await db
    .collection<ConversationDocument>(Collections.conversations)
    .findOne({ _id: input.conversationId }, { projection: { brandId: 1, agentId: 1, queueId: 1 } });
  if (!conversation) return;
  await new EventLog(db).append({
    brandId: conversation.brandId,
    key: input.key,
    type: input.type,
    conversationId: input.conversationId,
    audience: input.onlyTo ?? audienceOf(conversation, input.alsoTo),
    data: { conversationId: input.conversationId, ...input.data },
  });
}

/** A message's new delivery state, to whoever sees its conversation; `key` makes a retried activity publish it once. */
export function publishMessageStatus(
  db: Db,
  input: { conversationId: string; messageId: string; status: string; key: string; details?: Record<string, unknown> },
): Promise<void> {
  return publishConversationEvent(db, {
    conversationId: input.conversationId, type: 'message.status', key: input.key, data: { messageId: input.messageId, status: input.status, ...input.details },
  });
}
