import type { Collection, Db, Filter } from 'mongodb';
import { MongoServerError } from 'mongodb';
import { Collections } from '../collections.js';
import { publishLocally } from '../live/local-publishers.js';

export type EventType =
  | 'conversation.waiting' | 'conversation.assigned' | 'conversation.transferred' | 'conversation.closed' | 'conversation.reopened'
  | 'message.created' | 'message.status'
  | 'form.sent' | 'form.opened' | 'form.submitted' | 'form.expired' | 'form.offRecordExpired';

/**
 * A live event for agents' SSE streams. Ids and states only — never message
 * text or form values: clients fetch content through the API, which checks
 * access again.
 */
export interface EventDocument {
  _id: string;
  brandId: string;
  /** Per-brand, strictly increasing: the SSE event id, resumable with Last-Event-ID. */
  seq: number;
  /** Idempotency: one event per key, so a retried activity does not publish twice. */
  key: string;
  type: EventType;
  at: Date;
  /** Who may see it: user ids and `queue:<id>` (anyone working that queue). Managers see every event. */
  audience: string[];
  conversationId?: string;
  data: Record<string, unknown>;
}

export type NewEvent = Omit<EventDocument, '_id' | 'seq' | 'at' | 'brandId'> & { brandId: string; at?: Date };

export class EventLog {
  private readonly events: Collection<EventDocument>;

  constructor(private readonly db: Db) {
    this.events = db.collection<EventDocument>(Collections.events);
  }

  /**
   * Appends once per key; returns the event's sequence number. The number is
   * claimed by inserting under the unique (brand, seq) index — a shared $inc
   * counter is not atomic on FerretDB — so concurrent writers retry with the
   * next number until theirs is free. The unique (brand, key) index refuses a
   * second copy, so the key is only looked up when an insert is refused (each
   * query scans the collection on FerretDB). The stored event goes to this
   * process's live streams at once; other processes' followers bring it to theirs.
   */
  async append(event: NewEvent): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      const seq = (await this.latestSeq(event.brandId)) + 1;
      try {
        const stored: EventDocument = { ...event, _id: `${event.brandId}:${seq}`, seq, at: event.at ?? new Date() };
        await this.events.insertOne(stored);
        publishLocally(this.db, stored);
        return seq;
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
        // Refused: this key is stored already (a retried activity), or another writer took this seq.
        const existing = await this.events.findOne({ brandId: event.brandId, key: event.key }, { projection: { seq: 1 } });
        if (existing) return existing.seq;
        if (attempt >= 200) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 * attempt)));
      }
    }
  }

  /** Events after `afterSeq`, oldest first; `audience` undefined means all (managers). */
  since(brandId: string, afterSeq: number, options: { audience?: string[]; limit: number }): Promise<EventDocument[]> {
    const filter: Filter<EventDocument> = { brandId, seq: { $gt: afterSeq } };
    if (options.audience) filter.audience = { $in: options.audience };
    return this.events.find(filter).sort({ seq: 1 }).limit(options.limit).toArray();
  }

  async latestSeq(brandId: string): Promise<number> {
    const [latest] = await this.events.find({ brandId }, { projection: { seq: 1 } }).sort({ seq: -1 }).limit(1).toArray();
    return latest?.seq ?? 0;
  }
}
