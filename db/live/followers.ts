import type { Collection, Filter } from 'mongodb';
import type { Logger } from 'pino';
import type { EventDocument } from '../repositories/events.js';

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
  for (const event of found) byBrand.set(event.brandId, [...(byBrand.get(event.brandId) ?? []), event]);
  for (const [brandId, list] of byBrand) target.settle(brandId, positions.get(brandId)!, list);
  return found.length === READ_LIMIT;
}

/** For servers without change streams (FerretDB, a stand-alone mongod): reads what is new every `intervalMs`. */
export class TailFollower implements Follower {
  readonly kind = 'tail';
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
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
      more = await readBehind(this.events, this.target);
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
