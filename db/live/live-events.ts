import { MongoServerError, type Collection, type Db } from 'mongodb';
import type { Logger } from 'pino';
import { Collections } from '../collections.js';
import { EventLog, type EventDocument } from '../repositories/events.js';
import { BrandFeed, type LiveListener } from './brand-feed.js';
import { ChangeStreamFollower } from './change-stream-follower.js';
import { TailFollower, type Follower, type FollowerTarget } from './followers.js';
import { registerLocalPublisher, unregisterLocalPublisher } from './local-publishers.js';

export interface LiveEventsOptions {
  /** Without change streams: how often the follower reads new events (LIVE_EVENTS_TAIL_MS). */
  tailMs: number;
  /** How long a later event waits for an earlier one before the gap is read from the database. */
  gapMs?: number;
  logger: Logger;
}

/**
 * The live-event hub of one process. Events appended in this process come in at once (EventLog
 * publishes them here); other processes' events come through one follower — a change stream where
 * the server offers one, else a short tail — running only while a stream is open. Each brand's
 * events go to its listeners in seq order (BrandFeed): a stream's own work is a filter, not a query.
 */
export class LiveEvents implements FollowerTarget {
  private readonly feeds = new Map<string, { feed: BrandFeed; ready: Promise<void>; gapTimer?: NodeJS.Timeout }>();
  private readonly log: EventLog;
  private readonly collection: Collection<EventDocument>;
  private follower: Promise<Follower> | undefined;
  /** Detected on first use: false once the server refused a change stream. */
  private changeStreams: boolean | undefined;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly options: LiveEventsOptions,
  ) {
    this.log = new EventLog(db);
    this.collection = db.collection<EventDocument>(Collections.events);
    registerLocalPublisher(db, this);
  }

  /** How other processes' events reach this one now: undefined while no stream is open. */
  async following(): Promise<Follower['kind'] | undefined> {
    return (await this.follower?.catch(() => undefined))?.kind;
  }

  /**
   * Hands `listener` every event of the brand stored after the moment this resolves, in seq order;
   * returns the unsubscribe. Earlier events are the caller's to read (the stream's replay).
   */
  async subscribe(brandId: string, listener: LiveListener): Promise<() => void> {
    let entry = this.feeds.get(brandId);
    if (!entry) {
      const feed = new BrandFeed((error) => this.options.logger.error({ err: error }, 'live events: a listener failed'));
      entry = { feed, ready: this.start(brandId, feed) };
      this.feeds.set(brandId, entry);
    }
    const { feed, ready } = entry;
    feed.listeners.add(listener);
    const unsubscribe = () => this.unsubscribe(brandId, feed, listener);
    try {
      await ready;
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  /** An event this process just stored. */
  publish(event: EventDocument) {
    this.hint(event);
  }

  hint(event: EventDocument) {
    const entry = this.feeds.get(event.brandId);
    if (!entry) return;
    entry.feed.hint(event);
    this.watchGap(event.brandId);
  }

  positions(): Map<string, number> {
    const positions = new Map<string, number>();
    for (const [brandId, { feed }] of this.feeds) if (feed.position !== undefined) positions.set(brandId, feed.position);
    return positions;
  }

  settle(brandId: string, after: number, events: EventDocument[]) {
    this.feeds.get(brandId)?.feed.settle(after, events);
  }

  async stop() {
    this.stopped = true;
    unregisterLocalPublisher(this.db, this);
    for (const { gapTimer } of this.feeds.values()) clearTimeout(gapTimer);
    this.feeds.clear();
    await this.stopFollower();
  }

  private async start(brandId: string, feed: BrandFeed) {
    try {
      // The follower first: whatever is stored after the starting point is then sure to reach the feed.
      this.follower ??= this.startFollower();
      await this.follower;
      feed.startAfter(await this.log.latestSeq(brandId));
    } catch (error) {
      if (this.feeds.get(brandId)?.feed === feed) this.feeds.delete(brandId);
      throw error;
    }
  }

  private unsubscribe(brandId: string, feed: BrandFeed, listener: LiveListener) {
    feed.listeners.delete(listener);
    const entry = this.feeds.get(brandId);
    if (feed.listeners.size > 0 || entry?.feed !== feed) return;
    clearTimeout(entry.gapTimer);
    this.feeds.delete(brandId);
    if (this.feeds.size === 0) void this.stopFollower();
  }

  private async startFollower(): Promise<Follower> {
    if (this.stopped) throw new Error('live events stopped');
    const { logger } = this.options;
    if (this.changeStreams !== false) {
      try {
        const follower = await ChangeStreamFollower.open(this.collection, this, logger);
        if (this.changeStreams === undefined) logger.info('live events: following other processes through a change stream');
        this.changeStreams = true;
        return follower;
      } catch (error) {
        // The server answered that it has none (FerretDB, a stand-alone mongod); a network error says nothing yet.
        if (this.changeStreams === undefined && error instanceof MongoServerError) {
          logger.info({ reason: error.message, tailMs: this.options.tailMs }, 'live events: no change streams here; tailing the events collection');
          this.changeStreams = false;
        } else {
          logger.warn({ err: error }, 'live events: change stream not available now; tailing meanwhile');
        }
      }
    }
    return new TailFollower(this.log, this.collection, this, { intervalMs: this.options.tailMs, logger });
  }

  private async stopFollower() {
    const follower = this.follower;
    this.follower = undefined;
    await (await follower?.catch(() => undefined))?.stop();
  }

  /** A later event waits for an earlier one: if the follower has not brought it soon, read the gap. */
  private watchGap(brandId: string) {
    const entry = this.feeds.get(brandId);
    if (!entry || entry.gapTimer || !entry.feed.hasGap) return;
    entry.gapTimer = setTimeout(async () => {
      try {
        const after = entry.feed.position;
        if (entry.feed.hasGap && after !== undefined) {
          // By `_id` first (cheap); a hole no lookup fills (an erasure) takes the query that reads past it.
          const next = await this.log.following(brandId, after, 500);
          entry.feed.settle(after, next.length > 0 ? next : await this.log.since(brandId, after, { limit: 500 }));
        }
      } catch (error) {
        this.options.logger.warn({ err: error }, 'live events: reading a gap failed; trying again');
      }
      entry.gapTimer = undefined;
      if (this.feeds.get(brandId) === entry) this.watchGap(brandId);
    }, this.options.gapMs ?? 250);
  }
}
