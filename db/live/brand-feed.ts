import type { EventDocument } from '../repositories/events.js';

export type LiveListener = (event: EventDocument) => void;

/**
 * One brand's live events in this process, handed to its listeners in seq order, each once.
 *
 * Two kinds of input. A hint (an event appended in this process, or seen on a change stream) may
 * come before an earlier seq that is still on its way, so it is held until that one arrives — a
 * stream that wrote seq n must never be offered a smaller one (its Last-Event-ID would skip it).
 * A read of the database (every event after a seq, oldest first) is complete up to its last event:
 * a brand's seq n+1 is only inserted once n exists, so a seq it skips was deleted (privacy erasure)
 * and will never come.
 */
export class BrandFeed {
  readonly listeners = new Set<LiveListener>();
  /** The last seq handed out; undefined until the starting point is known. */
  private delivered: number | undefined;
  private readonly held = new Map<number, EventDocument>();

  constructor(private readonly onListenerError: (error: unknown) => void) {}

  get position(): number | undefined {
    return this.delivered;
  }

  /** Some later event waits for an earlier one. */
  get hasGap(): boolean {
    return this.held.size > 0;
  }

  /** Starts after `seq` (the brand's latest when the first listener came); earlier events are the streams' replay. */
  startAfter(seq: number) {
    this.delivered = seq;
    this.drain();
  }

  hint(event: EventDocument) {
    if (this.delivered !== undefined && event.seq <= this.delivered) return;
    this.held.set(event.seq, event);
    this.drain();
  }

  /** `events`: everything stored after `after`, oldest first, as read. Ignored if read from before our starting point. */
  settle(after: number, events: EventDocument[]) {
    if (this.delivered === undefined || after > this.delivered) return;
    for (const event of events) if (event.seq > this.delivered) this.deliver(event);
    this.drain();
  }

  private drain() {
    if (this.delivered === undefined) return;
    for (const seq of this.held.keys()) if (seq <= this.delivered) this.held.delete(seq);
    let next: EventDocument | undefined;
    while ((next = this.held.get(this.delivered + 1))) this.deliver(next);
  }

  private deliver(event: EventDocument) {
    this.delivered = event.seq;
    this.held.delete(event.seq);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
