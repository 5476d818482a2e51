import { LRUCache } from 'lru-cache';
import type { Db } from 'mongodb';

/**
 * Per brand, the highest event seq this process has seen stored. FerretDB answers only an exact
 * `{_id}` filter without scanning the whole collection, and an event's `_id` is `<brand>:<seq>`, so
 * knowing where the brand stands turns "append the next event" and "what came after n" into
 * lookups by `_id`. A hint only: other processes append too, so readers probe forward from it.
 */
export class SequenceHints {
  private readonly latest = new LRUCache<string, number>({ max: 10_000 });

  get(brandId: string): number | undefined {
    return this.latest.get(brandId);
  }

  saw(brandId: string, seq: number): void {
    if (seq > (this.latest.get(brandId) ?? 0)) this.latest.set(brandId, seq);
  }
}

const hintsByDatabase = new WeakMap<Db, SequenceHints>();

/** This process's hints for a database (the API and the worker of one process share them). */
export function sequenceHintsFor(db: Db): SequenceHints {
  let hints = hintsByDatabase.get(db);
  if (!hints) hintsByDatabase.set(db, (hints = new SequenceHints()));
  return hints;
}

export const eventId = (brandId: string, seq: number) => `${brandId}:${seq}`;
