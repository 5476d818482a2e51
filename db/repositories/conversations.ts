import type { Collection, Db, Filter } from 'mongodb';
import { Collections } from '../collections.js';
import type { EncryptedField } from '../field-encryption.js';
import type { OWNER_BOUND_SEAL } from './field-contexts.js';

export type ConversationStatus = 'open' | 'closed';
export type ChannelType = 'sms' | 'messenger';

export interface ConversationDocument {
  _id: string;
  workflowId: string;
  brandId: string;
  channel: ChannelType;
  channelId: string;
  entryPointId: string;
  queueId: string;
  consumer: { pseudonym: string; address: EncryptedField };
  status: ConversationStatus;
  openedAt: Date;
  closedAt?: Date;
  closeReason?: string;
  closedBy?: string;
  lastMessageAt: Date;
  lastInboundAt?: Date;
  messageCount: number;
  agentId?: string;
  /** Set while the brand's router holds the conversation in a queue (acceptable). */
  waitingSince?: Date;
  /** Set on conversations whose address is sealed with a context naming the brand (see field-contexts.ts). */
  sealed?: typeof OWNER_BOUND_SEAL;
}

export type ConversationForRecording = Pick<ConversationDocument, '_id' | 'brandId' | 'agentId' | 'queueId' | 'messageCount'>;

export interface ConversationPage {
  items: ConversationDocument[];
  nextCursor?: string;
}

function encodeCursor(doc: ConversationDocument): string {
  return Buffer.from(JSON.stringify([doc.lastMessageAt.toISOString(), doc._id])).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } | undefined {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(at);
    return Number.isNaN(date.getTime()) || typeof id !== 'string' ? undefined : { at: date, id };
  } catch {
    return undefined;
  }
}

export class ConversationRepository {
  private readonly conversations: Collection<ConversationDocument>;

  constructor(db: Db) {
    this.conversations = db.collection<ConversationDocument>(Collections.conversations);
  }

  /** Creates the conversation once (keyed by its id); later calls change nothing. */
  /**
   * What recording a message needs (by `_id`: no scan on FerretDB): its count, and who its events go to;
   * null before its first message is recorded.
   */
  forRecording(id: string): Promise<ConversationForRecording | null> {
    return this.conversations.findOne({ _id: id }, { projection: { brandId: 1, agentId: 1, queueId: 1, messageCount: 1 } });
  }

  /** How many open conversations each agent of the brand holds (agents holding none are absent). */
  async openCountsByAgent(brandId: string): Promise<Map<string, number>> {
    // One $group (served by FerretDB too) rather than a count per agent.
    const rows = await this.conversations
      .aggregate<{ _id: string; count: number }>([
        { $match: { brandId, status: 'open', agentId: { $exists: true } } },
        { $group: { _id: '$agentId', count: { $sum: 1 } } },
      ])
      .toArray();
    return new Map(rows.map((row) => [row._id, row.count]));
  }

  /** By `_id` alone (no scan on FerretDB), then the brand checked here. */
  async getForBrand(brandId: string, id: string): Promise<ConversationDocument | null> {
    const conversation = await this.conversations.findOne({ _id: id });
    return conversation?.brandId === brandId ? conversation : null;
  }

  /**
   * Idempotent, so a retried activity can run it again: times move forward only, and the count is the
   * recorded message's ordinal (notes excluded), not an increment. With `opening`, creates the document
   * first if the conversation has none yet.
   */
  async recordMessage(id: string, at: Date, direction: 'inbound' | 'outbound', messageCount: number, opening?: ConversationDocument): Promise<void> {
    const counters = { lastMessageAt: at, messageCount, ...(direction === 'inbound' ? { lastInboundAt: at } : {}) };
    if (!opening) {
      await this.conversations.updateOne({ _id: id }, { $max: counters });
      return;
    }
    // Opened and counted in one write: the counters are left out of the document set on insert.
    const { _id, lastMessageAt: _at, messageCount: _count, lastInboundAt: _inbound, ...rest } = opening;
    await this.conversations.updateOne({ _id }, { $setOnInsert: rest, $max: counters }, { upsert: true });
  }

  async close(id: string, close: { at: Date; reason: string; by?: string }): Promise<void> {
    await this.conversations.updateOne(
      { _id: id, status: 'open' },
      { $set: { status: 'closed', closedAt: close.at, closeReason: close.reason, ...(close.by ? { closedBy: close.by } : {}) } },
    );
  }

  /** Newest activity first; cursor-paginated on (lastMessageAt, _id). */
  async listForBrand(
    brandId: string,
    options: { status?: ConversationStatus; limit: number; cursor?: string; agentId?: string; waitingIn?: string[] | 'any' },
  ): Promise<ConversationPage> {
    const filter: Filter<ConversationDocument> = { brandId, ...(options.status ? { status: options.status } : {}) };
    if (options.agentId) filter.agentId = options.agentId;
    if (options.waitingIn) {
      Object.assign(filter, { agentId: { $exists: false }, waitingSince: { $exists: true }, ...(options.waitingIn === 'any' ? {} : { queueId: { $in: options.waitingIn } }) });
    }
    const after = options.cursor ? decodeCursor(options.cursor) : undefined;
    if (options.cursor && !after) throw new RangeError('invalid cursor');
    if (after) filter.$or = [{ lastMessageAt: { $lt: after.at } }, { lastMessageAt: after.at, _id: { $lt: after.id } }];
    const items = await this.conversations.find(filter).sort({ lastMessageAt: -1, _id: -1 }).limit(options.limit + 1).toArray();
    const page = items.slice(0, options.limit);
    return { items: page, nextCursor: items.length > options.limit ? encodeCursor(page.at(-1)!) : undefined };
  }
}
