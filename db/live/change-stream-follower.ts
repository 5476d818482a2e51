import type { ChangeStream, ChangeStreamInsertDocument, Collection } from 'mongodb';
import type { Logger } from 'pino';
import type { EventDocument } from '../repositories/events.js';
import { readBehind, type Follower, type FollowerTarget } from './followers.js';

/**
 * For replica sets: the server pushes every insert. Opening fails on servers without change
 * streams, which is how they are detected. If the stream breaks it is reopened and what it may have
 * missed is read back.
 */
export class ChangeStreamFollower implements Follower {
  readonly kind = 'change stream';
  private stopped = false;
  private readonly loop: Promise<void>;

  private constructor(
    private stream: InsertStream,
    first: Inserted | null,
    private readonly events: Collection<EventDocument>,
    private readonly target: FollowerTarget,
    private readonly logger: Logger,
  ) {
    if (first) target.hint(first.fullDocument);
    this.loop = this.follow();
  }

  /** Resolves once the server watches (every later insert will be seen), or rejects if it cannot. */
  static async open(events: Collection<EventDocument>, target: FollowerTarget, logger: Logger): Promise<ChangeStreamFollower> {
    const { stream, first } = await watchInserts(events);
    return new ChangeStreamFollower(stream, first, events, target, logger);
  }

  private async follow() {
    while (!this.stopped) {
      try {
        this.target.hint((await this.stream.next()).fullDocument);
      } catch (error) {
        if (this.stopped) return;
        this.logger.warn({ err: error }, 'live events: change stream broke; reopening');
        await this.reopen();
      }
    }
  }

  private async reopen() {
    await this.stream.close().catch(() => {});
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        const { stream, first } = await watchInserts(this.events);
        this.stream = stream;
        if (this.stopped) await stream.close();
        if (first) this.target.hint(first.fullDocument);
        while (await readBehind(this.events, this.target));
        return;
      } catch (error) {
        this.logger.warn({ err: error, attempt }, 'live events: change stream not reopened yet');
        await new Promise((resolve) => setTimeout(resolve, Math.min(500 * attempt, 5_000)));
      }
    }
  }

  async stop() {
    this.stopped = true;
    await this.stream.close().catch(() => {});
    await this.loop;
  }
}

type Inserted = ChangeStreamInsertDocument<EventDocument>;
type InsertStream = ChangeStream<EventDocument, Inserted>;

async function watchInserts(events: Collection<EventDocument>): Promise<{ stream: InsertStream; first: Inserted | null }> {
  // The server holds each empty read this long: opening (and so the first stream's connect) waits no more.
  const stream = events.watch<EventDocument, Inserted>([{ $match: { operationType: 'insert' } }], { maxAwaitTimeMS: 250 });
  try {
    // The first call sends the aggregate: it fails here where change streams are not offered.
    return { stream, first: await stream.tryNext() };
  } catch (error) {
    await stream.close().catch(() => {});
    throw error;
  }
}
