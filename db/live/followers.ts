import type { Collection, Filter } from 'mongodb';
import type { Logger } from 'pino';
import type { EventDocument, EventLog } from '../repositories/events.js';

/** What a follower feeds: the hub of its process. */
export interface FollowerTarget {
  /** The followed brands, each with the last seq handed out. */
  positions(): Map<string, number>;
  /** A database read: every event of the brand after `after`, oldest first. */
  settle(brandId: string, after: number, events: EventDocument[]): void;
  /** An event seen on a change stream (an earlier seq may still be on its way). */
  hint(event: EventDocument): void;
}

export interface Follower {
  readonly kind: 'change stream' | 'tail';
  stop(): Promise<void>;
}

/** One read per tick for all followed brands; more than this and the next tick comes at once. */
const READ_LIMIT = 500;
/** How often the tail also reads past holes an erasure left (the `_id` probes stop at the first one). */
const SWEEP_EVERY_MS = 5_000;

/**
 * One query for every followed brand's events after its position, then settles each brand.
 * Returns true when the limit cut the answer (more is waiting).
 */
export async function readBehind(events: Collection<EventDocument>, target: FollowerTarget): Promise<boolean> {
  const positions = target.positions();
  if (positions.size === 0) return false;
  const clauses: Filter<EventDocument>[] = [...positions].map(([brandId, after]) => ({ brandId, seq: { $gt: after } }));
  const filter = clauses.length === 1 ? clauses[0]! : { $or: clauses };
  const found = await events.find(filter).sort({ brandId: 1, seq: 1 }).limit(READ_LIMIT).toArray();
  const byBrand = new Map<string, EventDocument[]>();
  for (const event of found) {
    const list = byBrand.get(event.brandId);
    if (list) list.push(event);
    else byBrand.set(event.brandId, [event]);
  }
  for (const [brandId, list] of byBrand) target.settle(brandId, positions.get(brandId)!, list);
  return found.length === READ_LIMIT;
}

/**
 * Each followed brand's events after its position by `_id` lookups (`EventLog.following`): FerretDB scans
 * the whole collection for any other filter. Returns true when the limit cut an answer (more is waiting).
 */
export async function probeBehind(log: EventLog, target: FollowerTarget): Promise<boolean> {
  let more = false;
  for (const [brandId, after] of target.positions()) {
    const found = await log.following(brandId, after, READ_LIMIT);
    if (found.length > 0) target.settle(brandId, after, found);
    if (found.length === READ_LIMIT) more = true;
  }
  return more;
}

/**
 * For servers without change streams (FerretDB, a stand-alone mongod): probes what is new every
 * `intervalMs`, and reads past erasure holes every few seconds.
 */
export class TailFollower implements Follower {
  readonly kind = 'tail';
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private lastSweep = Date.now();

  constructor(
    private readonly log: EventLog,
    private readonly events: Collection<EventDocument>,
    private readonly target: FollowerTarget,
    private readonly options: { intervalMs: number; logger: Logger },
  ) {
    this.schedule(options.intervalMs);
  }

  private schedule(delayMs: number) {
    if (!this.stopped) this.timer = setTimeout(() => (this.running = this.tick()), delayMs);
  }

  private async tick() {
    let more = false;
    try {
      if (Date.now() - this.lastSweep >= SWEEP_EVERY_MS) {
        this.lastSweep = Date.now();
        more = await readBehind(this.events, this.target);
      }
      more = (await probeBehind(this.log, this.target)) || more;
    } catch (error) {
      this.options.logger.warn({ err: error }, 'live events: reading new events failed; trying again');
    }
    this.schedule(more ? 0 : this.options.intervalMs);
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
