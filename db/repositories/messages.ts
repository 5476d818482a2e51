import type { Collection, Db } from 'mongodb';
import { Collections } from '../collections.js';
import type { EncryptedField } from '../field-encryption.js';

/** `internal`: agents' notes, never sent to the consumer. */
export type MessageDirection = 'inbound' | 'outbound' | 'internal';
/** Ours (`pending`) then the provider's lifecycle; `failed`/`undelivered` are final. */
export type MessageStatus = 'received' | 'pending' | 'queued' | 'sent' | 'delivered' | 'read' | 'undelivered' | 'failed';

const statusRank: Record<MessageStatus, number> = {
  received: 0, pending: 1, queued: 2, sent: 3, delivered: 4, read: 5, undelivered: 6, failed: 6,
};

export interface Attachment {
  type: string;
  url?: EncryptedField;
  contentType?: string;
}

export interface MessageDocument {
  /** Inbound: from the provider's id (so redeliveries collide); outbound: ours. */
  _id: string;
  conversationId: string;
  brandId: string;
  direction: MessageDirection;
  channel: 'sms' | 'messenger';
  kind: 'text' | 'postback' | 'page_echo' | 'system' | 'note' | 'secure_form';
  /** Masked before storage, then encrypted. */
  text?: EncryptedField;
  attachments: Attachment[];
  providerMessageId?: string;
  status: MessageStatus;
  statusRank: number;
  statusHistory: { status: MessageStatus; at: Date; errorCode?: string }[];
  failure?: { code: string; reason: string };
  agentId?: string;
  sendAttempts?: number;
  firstAttemptAt?: Date;
  createdAt: Date;
}

export const messageTextContext = (messageId: string) => `message:${messageId}:text`;
export const attachmentUrlContext = (messageId: string, index: number) => `message:${messageId}:attachment:${index}`;

export class MessageRepository {
  private readonly messages: Collection<MessageDocument>;

  constructor(db: Db) {
    this.messages = db.collection<MessageDocument>(Collections.messages);
  }

  /** Inserts once; returns false when a message with this id already exists (a redelivery). */
  async insertOnce(doc: Omit<MessageDocument, 'statusRank'>): Promise<boolean> {
    const { _id, ...rest } = doc;
    const result = await this.messages.updateOne(
      { _id },
      { $setOnInsert: { ...rest, statusRank: statusRank[doc.status] } },
      { upsert: true },
    );
    return result.upsertedCount === 1;
  }

  get(id: string): Promise<MessageDocument | null> {
    return this.messages.findOne({ _id: id });
  }

  findByProviderId(providerMessageId: string): Promise<MessageDocument | null> {
    return this.messages.findOne({ providerMessageId });
  }

  /** Appends to the history; moves `status` forward only (a late `sent` never overwrites `delivered`). */
  async recordStatus(id: string, event: { status: MessageStatus; at: Date; errorCode?: string; failure?: { code: string; reason: string } }) {
    const entry = { status: event.status, at: event.at, ...(event.errorCode ? { errorCode: event.errorCode } : {}) };
    await this.messages.updateOne({ _id: id }, { $push: { statusHistory: entry } });
    const rank = statusRank[event.status];
    await this.messages.updateOne(
      { _id: id, statusRank: { $lt: rank } },
      { $set: { status: event.status, statusRank: rank, ...(event.failure ? { failure: event.failure } : {}) } },
    );
  }

  async markAttempt(id: string, at: Date): Promise<MessageDocument | null> {
    await this.messages.updateOne({ _id: id, firstAttemptAt: { $exists: false } }, { $set: { firstAttemptAt: at } });
    return this.messages.findOneAndUpdate({ _id: id }, { $inc: { sendAttempts: 1 } }, { returnDocument: 'before' });
  }

  async setProviderId(id: string, providerMessageId: string): Promise<void> {
    await this.messages.updateOne({ _id: id }, { $set: { providerMessageId } });
  }

  /** Oldest first, after `afterId`'s position; limit + 1 fetched to tell whether more exist. */
  async page(conversationId: string, options: { limit: number; after?: { createdAt: Date; id: string } }) {
    const filter = options.after
      ? { conversationId, $or: [{ createdAt: { $gt: options.after.createdAt } }, { createdAt: options.after.createdAt, _id: { $gt: options.after.id } }] }
      : { conversationId };
    const items = await this.messages.find(filter).sort({ createdAt: 1, _id: 1 }).limit(options.limit + 1).toArray();
    return { items: items.slice(0, options.limit), hasMore: items.length > options.limit };
  }

  /** Messenger read receipts: everything we sent up to the watermark has been read. */
  async outboundUpTo(conversationId: string, watermark: Date): Promise<MessageDocument[]> {
    return this.messages
      .find({ conversationId, direction: 'outbound', createdAt: { $lte: watermark }, statusRank: { $lt: statusRank.read } })
      .limit(500)
      .toArray();
  }
}
