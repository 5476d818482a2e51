import { MongoBulkWriteError, type Collection } from 'mongodb';
import { isDuplicateKey } from '../errors.js';
import { eventId, type SequenceHints } from './event-sequence.js';
import type { EventDocument, NewEvent } from './events.js';

interface Waiting {
  event: NewEvent;
  resolve: (seq: number) => void;
  reject: (error: unknown) => void;
}

const firstRefused = (error: MongoBulkWriteError): number => {
  const errors = error.writeErrors;
  return (Array.isArray(errors) ? errors[0]?.index : (errors as { index?: number }).index) ?? 0;
};

/** Events inserted in one write at most. */
const BATCH = 100;

/**
 * One brand's appends in this process, one write at a time: what waits meanwhile goes in the next
 * write, numbered after the brand's latest in one ordered `insertMany`. So appends of one process
 * never race each other for a number (each race costs a refused insert and a lookup), and a busy
 * brand costs one write per batch instead of one per event. Numbers still go to whoever inserts them
 * first: another process's event that took a number sends the rest of the batch after it.
 */
export class BrandAppender {
  private readonly waiting: Waiting[] = [];
  private running = false;

  constructor(
    private readonly brandId: string,
    private readonly events: Collection<EventDocument>,
    private readonly hints: SequenceHints,
    /** `latest(attempt)`: where numbering stands (a fresh read now and then when others keep getting ahead). */
    private readonly options: { latest: (attempt: number) => Promise<number>; stored: (event: EventDocument) => void },
  ) {}

  append(event: NewEvent): Promise<number> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ event, resolve, reject });
      if (!this.running) void this.run();
    });
  }

  private async run() {
    this.running = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, BATCH);
      await this.insert(batch).catch((error: unknown) => batch.forEach((item) => item.reject(error)));
    }
    this.running = false;
  }

  private async insert(batch: Waiting[]) {
    let pending = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      let seq = await this.options.latest(attempt);
      const docs = pending.map(({ event }): EventDocument => ({ ...event, _id: eventId(this.brandId, ++seq), seq, at: event.at ?? new Date() }));
      try {
        await this.events.insertMany(docs, { ordered: true });
        this.stored(pending, docs, docs.length);
        return;
      } catch (error) {
        if (!isDuplicateKey(error) || attempt >= 1_000) throw error;
        // An ordered insert stops at the first refusal: what came before it is stored, what came after was not tried.
        const refused = error instanceof MongoBulkWriteError ? firstRefused(error) : 0;
        this.stored(pending, docs, refused);
        const [doc, mine] = [docs[refused]!, pending[refused]!];
        let rest = pending.slice(refused + 1);
        const holder = await this.events.findOne({ _id: doc._id }, { projection: { key: 1 } });
        if (holder?.key === mine.event.key) {
          this.stored([mine], [doc], 1);
        } else if (holder) {
          // Another process took the number: this one and the rest go after it.
          this.hints.saw(this.brandId, doc.seq);
          rest = [mine, ...rest];
        } else {
          // The number was free, so the key is stored already (a retried activity's earlier attempt).
          const existing = await this.events.findOne({ brandId: this.brandId, key: mine.event.key }, { projection: { seq: 1 } });
          if (existing) mine.resolve(existing.seq);
          else rest = [mine, ...rest];
        }
        pending = rest;
      }
    }
  }

  /** The first `count` are stored: published here and answered. */
  private stored(items: Waiting[], docs: EventDocument[], count: number) {
    if (count === 0) return;
    this.hints.saw(this.brandId, docs[count - 1]!.seq);
    for (let i = 0; i < count; i++) {
      this.options.stored(docs[i]!);
      items[i]!.resolve(docs[i]!.seq);
    }
  }
}
