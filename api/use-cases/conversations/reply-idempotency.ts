import type { FieldEncryption } from '../../../db/field-encryption.js';
import type { ConversationDocument } from '../../../db/repositories/conversations.js';
import { messageTextContext } from '../../../db/repositories/field-contexts.js';
import type { MessageRepository } from '../../../db/repositories/messages.js';
import { ConflictError } from '../../errors.js';

/**
 * A caller-chosen `messageId` is an idempotency key: the same reply again answers as the first did, but
 * another text under the same key would be silently dropped (the conversation dedupes the update by id),
 * so it is refused instead. Checked after the update, when the stored reply is certain to exist.
 */
export async function assertSameReply(
  deps: { messages: MessageRepository; fields: FieldEncryption },
  conversation: ConversationDocument,
  reply: { messageId: string; text: string },
): Promise<void> {
  const stored = await deps.messages.get({ brandId: conversation.brandId, conversationId: conversation._id }, reply.messageId);
  const text = stored?.text ? deps.fields.open(stored.text, messageTextContext(stored)) : undefined;
  if (text === reply.text) return;
  throw new ConflictError({ code: 'message_id_taken', message: 'This messageId was already used for another reply: choose a new one' });
}
