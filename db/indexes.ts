import type { Db } from 'mongodb';
import { indexSpecs, type IndexSpec } from './collections.js';

/** Creates every declared index; safe to run at each start-up and from several processes. */
export async function ensureIndexes(db: Db, specs: IndexSpec[] = indexSpecs): Promise<void> {
  for (const spec of specs) {
    await db.collection(spec.collection).createIndex(spec.key, { name: spec.name, unique: spec.unique ?? false });
  }
}
