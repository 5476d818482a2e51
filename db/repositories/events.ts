import type { Collection, Db, Filter } from 'mongodb';
import { Collections } from '../collections.js';
import { publishLocally } from '../live/local-publishers.js';
import { BrandAppender } from './event-appender.js';
import { eventId, sequenceHintsFor, type SequenceHints } from './event-sequence.js';

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

/** Probes forward by `_id` at most this far; beyond it, one query that scans. */
const PROBE_LIMIT = 200;

/** Per database handle (process) and brand: the one appender (see BrandAppender). */
const appendersByDatabase = new WeakMap<Db, Map<string, BrandAppender>>();

export class EventLog {
  private readonly events: Collection<EventDocument>;
  private readonly hints: SequenceHints;

  constructor(private readonly db: Db) {
    this.events = db.collection<EventDocument>(Collections.events);
    this.hints = sequenceHintsFor(db);
  }

  /**
   * Appends once per key; returns the event's sequence number. The number is claimed by inserting
   * `_id` `<brand>:<seq>` — a shared $inc counter is not atomic on FerretDB — after the highest seq
   * this process has seen (one scan per brand per process, then lookups by `_id` only). A process's
   * appends to one brand go one write at a time, batched (BrandAppender). A refused number is told
   * apart by a lookup of that `_id`: another process's event (go after it) or ours from an earlier
   * attempt (a retried activity); only when the number is free is the key stored at another one,
   * which takes a query that scans. The stored event goes to this process's live streams at once;
   * other processes' followers bring it to theirs.
   */
  append(event: NewEvent): Promise<number> {
    return this.appenderOf(event.brandId).append(event);
  }

  private appenderOf(brandId: string): BrandAppender {
    let appenders = appendersByDatabase.get(this.db);
    if (!appenders) appendersByDatabase.set(this.db, (appenders = new Map()));
    let appender = appenders.get(brandId);
    if (!appender) {
      appender = new BrandAppender(brandId, this.events, this.hints, {
        // Far behind (others keep getting ahead): one query for the stored latest instead of more probes.
        latest: (attempt) => (attempt > 0 && attempt % PROBE_LIMIT === 0 ? this.scanLatest(brandId) : this.knownLatest(brandId)),
        stored: (stored) => publishLocally(this.db, stored),
      });
      appenders.set(brandId, appender);
    }
    return appender;
  }

  /** Events after `afterSeq`, oldest first; `audience` undefined means all (managers). */
  since(brandId: string, afterSeq: number, options: { audience?: string[]; limit: number }): Promise<EventDocument[]> {
    const filter: Filter<EventDocument> = { brandId, seq: { $gt: afterSeq } };
    if (options.audience) filter.audience = { $in: options.audience };
    return this.events.find(filter).sort({ seq: 1 }).limit(options.limit).toArray();
  }

  /**
   * The events right after `afterSeq` by `_id`, oldest first, up to the first number not stored: cheap on
   * every server, complete up to its last event unless an erasure left a hole (`since` reads past those).
   */
  async following(brandId: string, afterSeq: number, limit: number): Promise<EventDocument[]> {
    const found: EventDocument[] = [];
    for (let seq = afterSeq + 1; found.length < limit; seq++) {
      const event = await this.events.findOne({ _id: eventId(brandId, seq) });
      if (!event) break;
      found.push(event);
    }
    if (found.length > 0) this.hints.saw(brandId, found[found.length - 1]!.seq);
    return found;
  }

  /** The brand's latest seq: from this process's hint, probing forward by `_id`. */
  async latestSeq(brandId: string): Promise<number> {
    const known = await this.knownLatest(brandId);
    const after = await this.following(brandId, known, PROBE_LIMIT);
    if (after.length < PROBE_LIMIT) return after[after.length - 1]?.seq ?? known;
    return this.scanLatest(brandId);
  }

  private async knownLatest(brandId: string): Promise<number> {
    return this.hints.get(brandId) ?? (await this.scanLatest(brandId));
  }

  /** The stored latest, by a query that scans on FerretDB (an index on MongoDB). */
  private async scanLatest(brandId: string): Promise<number> {
    const [latest] = await this.events.find({ brandId }, { projection: { seq: 1 } }).sort({ seq: -1 }).limit(1).toArray();
    const seq = latest?.seq ?? 0;
    this.hints.saw(brandId, seq);
    return seq;
  }
}
