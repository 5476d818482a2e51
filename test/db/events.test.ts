import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureIndexes } from '../../db/indexes.js';
import { connectDatabase } from '../../db/connection.js';
import { EventLog, type EventDocument } from '../../db/repositories/events.js';
import { LiveEvents } from '../../db/live/live-events.js';
import { createLogger } from '../../observability/logger.js';
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

  it('numbers the appends of two processes, each starting from its own stale idea of the latest, 1..n without a gap', async () => {
    const other = connectDatabase({ uri: settings.mongo.uri, dbName: settings.mongo.dbName });
    try {
      const here = new EventLog(database.db);
      const there = new EventLog(other.db);
      const brandId = `b-${randomUUID().slice(0, 8)}`;
      const append = (log: EventLog, key: string) => log.append({ brandId, key, type: 'message.created', audience: ['u'], data: {} });
      await append(here, 'first');
      await append(there, 'second');
      const seqs = await Promise.all(Array.from({ length: 30 }, (_, i) => append(i % 2 ? here : there, `k${i}`)));
      expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 3));
      expect((await here.since(brandId, 0, { limit: 100 })).map((event) => event.seq)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
      expect(await here.latestSeq(brandId)).toBe(32);
    } finally {
      await other.close();
    }
  });

  it('answers a retried append with the number its first attempt got, after others appended meanwhile', async () => {
    const log = new EventLog(database.db);
    const brandId = `b-${randomUUID().slice(0, 8)}`;
    const append = (key: string) => log.append({ brandId, key, type: 'message.created', audience: ['u'], data: {} });
    const first = await append('retried');
    await append('a');
    await append('b');
    expect(await append('retried')).toBe(first);
    expect(await log.since(brandId, 0, { limit: 10 })).toHaveLength(3);
  });
});

describe('live events of a process', () => {
  const logger = createLogger({ level: 'silent' });
  const event = (brandId: string, key: string) => ({ brandId, key, type: 'message.created' as const, audience: ['u'], data: { key } });

  it('get what this process appends at once, through the hub of its database handle', async () => {
    const live = new LiveEvents(database.db, { tailMs: 60_000, logger });
    const brandId = `b-${randomUUID().slice(0, 8)}`;
    const received: EventDocument[] = [];
    const unsubscribe = await live.subscribe(brandId, (stored) => received.push(stored));
    try {
      const seq = await new EventLog(database.db).append(event(brandId, 'here'));
      // Delivered before append returned: no read of the database in between.
      expect(received.map((stored) => [stored.seq, stored.key])).toEqual([[seq, 'here']]);
    } finally {
      unsubscribe();
      await live.stop();
    }
  });

  it('follow what another process appends, in order, without a change stream on FerretDB', async () => {
    const other = connectDatabase({ uri: settings.mongo.uri, dbName: settings.mongo.dbName });
    const live = new LiveEvents(database.db, { tailMs: 50, logger });
    const brandId = `b-${randomUUID().slice(0, 8)}`;
    const received: number[] = [];
    const unsubscribe = await live.subscribe(brandId, (stored) => received.push(stored.seq));
    try {
      expect(await live.following()).toBe('tail');
      const seqs: number[] = [];
      for (let i = 0; i < 5; i++) seqs.push(await new EventLog(other.db).append(event(brandId, `k${i}`)));
      await expect.poll(() => received, { timeout: 5_000 }).toEqual(seqs);
    } finally {
      unsubscribe();
      expect(await live.following(), 'no follower once no one listens').toBeUndefined();
      await live.stop();
      await other.close();
    }
  });

  it('follow another process past a hole an erasure left', async () => {
    const other = connectDatabase({ uri: settings.mongo.uri, dbName: settings.mongo.dbName });
    const live = new LiveEvents(database.db, { tailMs: 50, logger });
    const brandId = `b-${randomUUID().slice(0, 8)}`;
    const received: string[] = [];
    const unsubscribe = await live.subscribe(brandId, (stored) => received.push(stored.key));
    try {
      const log = new EventLog(other.db);
      await log.append(event(brandId, 'erased'));
      await other.db.collection('events').deleteMany({ brandId, key: 'erased' });
      await log.append(event(brandId, 'after-the-hole'));
      await expect.poll(() => received, { timeout: 15_000 }).toEqual(['after-the-hole']);
    } finally {
      unsubscribe();
      await live.stop();
      await other.close();
    }
  });
});
