import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureIndexes } from '../../db/indexes.js';
import { connectDatabase } from '../../db/connection.js';
import { EventLog } from '../../db/repositories/events.js';
import { testSettings } from '../support/settings.js';

const settings = testSettings();
const database = connectDatabase({ uri: settings.mongo.uri, dbName: settings.mongo.dbName });
beforeAll(() => ensureIndexes(database.db));
afterAll(() => database.close());

describe('event log', () => {
  it('gives 50 concurrent appends 50 distinct, increasing sequence numbers, none lost', async () => {
    const log = new EventLog(database.db);
    const brandId = `b-${randomUUID().slice(0, 8)}`;
    const seqs = await Promise.all(
      Array.from({ length: 50 }, (_, i) => log.append({ brandId, key: `k${i}`, type: 'message.created', audience: ['u'], data: { i } })),
    );
    expect(new Set(seqs).size).toBe(50);
    const stored = await log.since(brandId, 0, { limit: 100 });
    expect(stored.map((event) => event.key).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `k${i}`).sort());
  });

  it('publishes an event once per key, also when the append is retried', async () => {
    const log = new EventLog(database.db);
    const brandId = `b-${randomUUID().slice(0, 8)}`;
    const [first, second] = await Promise.all([0, 1].map(() => log.append({ brandId, key: 'same', type: 'message.created', audience: [], data: {} })));
    expect(first).toBe(second);
    expect(await log.since(brandId, 0, { limit: 10 })).toHaveLength(1);
  });
});
