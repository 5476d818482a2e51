import type { Collection, Db } from 'mongodb';
import { Collections } from '../collections.js';
import type { EncryptedField } from '../field-encryption.js';
import type { OWNER_BOUND_SEAL } from './field-contexts.js';

/** `internal`: agents' notes, never sent to the consumer. */
export type MessageDirection = 'inbound' | 'outbound' | 'internal';
/**
 * Ours (`pending`, `retrying` while the provider fails) then the provider's lifecycle. `failed`, `undelivered`
 * and `canceled` are final unless an agent retries the message (back to `pending`).
 */
export type MessageStatus = 'received' | 'pending' | 'retrying' | 'queued' | 'sent' | 'delivered' | 'read' | 'undelivered' | 'failed' | 'canceled';

const statusRank: Record<MessageStatus, number> = {
  received: 0, pending: 1, retrying: 2, queued: 3, sent: 4, delivered: 5, read: 6, undelivered: 7, failed: 7, canceled: 7,
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
  /** While `retrying`: attempts so far and when the next one starts. */
  retry?: { attempts: number; nextAttemptAt: Date };
  /** Provider ids of earlier sends of this message (before an agent's retry): never taken for the new send. */
  previousProviderIds?: string[];
  createdAt: Date;
  /**
   * Its place among the messages exchanged with the consumer (inbound and outbound, not notes or form links),
   * from 1: the conversation's messageCount once it is recorded. Absent on messages recorded before it existed.
   */
  ordinal?: number;
  /** Set on every message written since contexts name the owner (see field-contexts.ts); absent on older ones. */
  sealed?: typeof OWNER_BOUND_SEAL;
}

/** Who a message belongs to: every read or write of a message by id names it (ids are global, owners are not). */
export interface MessageOwner {
  brandId: string;
  conversationId: string;
}

export type InsertOutcome = { outcome: 'inserted' } | { outcome: 'exists'; message: MessageDocument } | { outcome: 'taken' };

const byId = (owner: MessageOwner, id: string) => ({ _id: id, brandId: owner.brandId, conversationId: owner.conversationId });

export class MessageRepository {
  private readonly messages: Collection<MessageDocument>;

  constructor(db: Db) {
    this.messages = db.collection<MessageDocument>(Collections.messages);
  }

  /**
   * Inserts once. Otherwise `exists` with the owner's own message of this id (a redelivery, a retried
   * activity), or `taken` when another conversation (of any brand) holds the id: never its document.
   */
  async insertOnce(doc: Omit<MessageDocument, 'statusRank' | 'sealed'> & { sealed: typeof OWNER_BOUND_SEAL }): Promise<InsertOutcome> {
    const { _id, ...rest } = doc;
    const result = await this.messages.updateOne({ _id }, { $setOnInsert: { ...rest, statusRank: statusRank[doc.status] } }, { upsert: true });
    if (result.upsertedCount === 1) return { outcome: 'inserted' };
    const message = await this.get(doc, _id);
    return message ? { outcome: 'exists', message } : { outcome: 'taken' };
  }

  /** By `_id` alone (the one filter FerretDB answers without a scan), then the owner checked here. */
  async get(owner: MessageOwner, id: string): Promise<MessageDocument | null> {
    const message = await this.messages.findOne({ _id: id });
    return message && message.brandId === owner.brandId && message.conversationId === owner.conversationId ? message : null;
  }

  /** Messages exchanged with the consumer (not notes, not secure-form links): the conversation's messageCount. */
  countExchanged(conversationId: string): Promise<number> {
    return this.messages.countDocuments({ conversationId, direction: { $in: ['inbound', 'outbound'] }, kind: { $ne: 'secure_form' } });
  }

  /** Whether any message (of any brand) has this provider id: such an id is never claimed by another send. */
  async providerIdInUse(providerMessageId: string): Promise<boolean> {
    return (await this.messages.countDocuments({ providerMessageId }, { limit: 1 })) > 0;
  }

  /** Appends to the history; moves `status` forward only (a late `sent` never overwrites `delivered`). */
  async recordStatus(owner: MessageOwner, id: string, event: { status: MessageStatus; at: Date; errorCode?: string; failure?: { code: string; reason: string } }) {
    const entry = { status: event.status, at: event.at, ...(event.errorCode ? { errorCode: event.errorCode } : {}) };
    await this.messages.updateOne(byId(owner, id), { $push: { statusHistory: entry } });
    const rank = statusRank[event.status];
    await this.messages.updateOne(
      { ...byId(owner, id), statusRank: { $lt: rank } },
      {
        $set: { status: event.status, statusRank: rank, ...(event.failure ? { failure: event.failure } : {}) },
        ...(event.status === 'retrying' ? {} : { $unset: { retry: '' } }),
      },
    );
  }

  /** A failed attempt that will be tried again. */
  async recordRetrying(owner: MessageOwner, id: string, retry: { attempts: number; nextAttemptAt: Date; at: Date; failure: { code: string; reason: string } }) {
    await this.recordStatus(owner, id, { status: 'retrying', at: retry.at, errorCode: retry.failure.code });
    await this.messages.updateOne(byId(owner, id), { $set: { retry: { attempts: retry.attempts, nextAttemptAt: retry.nextAttemptAt }, failure: retry.failure } });
  }

  /** An agent's retry of a final message: pending again, as a new send (its earlier provider id is kept aside). */
  async requeue(message: MessageDocument, at: Date): Promise<void> {
    const previous = [...(message.previousProviderIds ?? []), ...(message.providerMessageId ? [message.providerMessageId] : [])];
    await this.messages.updateOne(
      byId(message, message._id),
      {
        $set: { status: 'pending', statusRank: statusRank.pending, previousProviderIds: previous },
        $push: { statusHistory: { status: 'pending', at } },
        $unset: { failure: '', retry: '', providerMessageId: '', sendAttempts: '', firstAttemptAt: '' },
      },
    );
  }

  /**
   * Counts a send attempt of a message read through `get` (so its owner is checked: the writes go by `_id`
   * alone, which FerretDB serves without a scan); returns the message as it was before. Attempts of one
   * message never overlap (see deliver-message.ts), so the first attempt's time is set from what was read.
   */
  async markAttempt(message: MessageDocument, at: Date): Promise<MessageDocument | null> {
    if (!message.firstAttemptAt) await this.messages.updateOne({ _id: message._id }, { $set: { firstAttemptAt: at } });
    return this.messages.findOneAndUpdate({ _id: message._id }, { $inc: { sendAttempts: 1 } }, { returnDocument: 'before' });
  }

  /** The provider's id for a message read through `get` (by `_id` alone, as markAttempt). */
  async setProviderId(message: MessageDocument, providerMessageId: string): Promise<void> {
    await this.messages.updateOne({ _id: message._id }, { $set: { providerMessageId } });
  }

  /**
   * One page of the transcript in (createdAt, _id) order, oldest or newest first, starting just beyond `after`
   * in that direction (older than it when newest first); limit + 1 fetched to tell whether more exist.
   */
  async page(owner: MessageOwner, options: { limit: number; order?: 'oldest' | 'newest'; after?: { createdAt: Date; id: string } }) {
    const { brandId, conversationId } = owner;
    const [beyond, direction] = options.order === 'newest' ? (['$lt', -1] as const) : (['$gt', 1] as const);
    const filter = options.after
      ? { brandId, conversationId, $or: [{ createdAt: { [beyond]: options.after.createdAt } }, { createdAt: options.after.createdAt, _id: { [beyond]: options.after.id } }] }
      : { brandId, conversationId };
    const items = await this.messages.find(filter).sort({ createdAt: direction, _id: direction }).limit(options.limit + 1).toArray();
    return { items: items.slice(0, options.limit), hasMore: items.length > options.limit };
  }

  /** Messenger read receipts: everything we sent up to the watermark has been read. */
  async outboundUpTo(owner: MessageOwner, watermark: Date): Promise<MessageDocument[]> {
    return this.messages
      .find({ brandId: owner.brandId, conversationId: owner.conversationId, direction: 'outbound', createdAt: { $lte: watermark }, statusRank: { $lt: statusRank.read } })
      .limit(500)
      .toArray();
  }
}
