import type { FieldEncryption } from '../../../db/field-encryption.js';
import type { ConversationDocument } from '../../../db/repositories/conversations.js';
import { attachmentUrlContext, conversationAddressContext, messageTextContext } from '../../../db/repositories/field-contexts.js';
import type { MessageDocument } from '../../../db/repositories/messages.js';

/** Enough of the address for an agent to recognise a number; never all of it. */
function displayAddress(channel: ConversationDocument['channel'], address: string): string {
  return channel === 'sms' ? `${address.slice(0, 3)}•••${address.slice(-4)}` : 'Messenger user';
}

export function toConversationView(fields: FieldEncryption, doc: ConversationDocument) {
  const address = fields.open(doc.consumer.address, conversationAddressContext(doc));
  return {
    id: doc._id,
    channel: doc.channel,
    entryPointId: doc.entryPointId,
    queueId: doc.queueId,
    status: doc.status,
    ...(doc.agentId ? { agentId: doc.agentId } : {}),
    consumer: { id: doc.consumer.pseudonym, display: displayAddress(doc.channel, address) },
    openedAt: doc.openedAt.toISOString(),
    lastMessageAt: doc.lastMessageAt.toISOString(),
    ...(doc.lastInboundAt ? { lastInboundAt: doc.lastInboundAt.toISOString() } : {}),
    ...(doc.waitingSince && !doc.agentId && doc.status === 'open' ? { waitingSince: doc.waitingSince.toISOString() } : {}),
    messageCount: doc.messageCount,
    ...(doc.closedAt ? { closedAt: doc.closedAt.toISOString(), closeReason: doc.closeReason } : {}),
  };
}

export function toMessageView(fields: FieldEncryption, doc: MessageDocument) {
  return {
    id: doc._id,
    direction: doc.direction,
    kind: doc.kind,
    // Secure-form links carry one-time keys: the transcript never hands them to another reader.
    ...(doc.text ? { text: fields.open(doc.text, messageTextContext(doc)).replace(/\/forms\/[A-Za-z0-9_-]{43}/g, '/forms/[one-time link]') } : {}),
    attachments: (doc.attachments ?? []).map((attachment, index) => ({
      type: attachment.type,
      ...(attachment.contentType ? { contentType: attachment.contentType } : {}),
      ...(attachment.url ? { url: fields.open(attachment.url, attachmentUrlContext(doc, index)) } : {}),
    })),
    status: doc.status,
    statusHistory: (doc.statusHistory ?? []).map((entry) => ({ status: entry.status, at: entry.at.toISOString(), ...(entry.errorCode ? { errorCode: entry.errorCode } : {}) })),
    ...(doc.failure ? { failure: doc.failure } : {}),
    ...(doc.agentId ? { agentId: doc.agentId } : {}),
    ...(doc.status === 'retrying' && doc.retry ? { retry: { attempts: doc.retry.attempts, nextAttemptAt: doc.retry.nextAttemptAt.toISOString() } } : {}),
    createdAt: doc.createdAt.toISOString(),
  };
}
