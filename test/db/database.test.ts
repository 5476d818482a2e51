import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { MongoServerError } from 'mongodb';
import { connectDatabase } from '../../db/connection.js';
import { Collections, indexSpecs } from '../../db/collections.js';
import { ensureIndexes } from '../../db/indexes.js';
import { testSettings } from '../support/settings.js';

const settings = testSettings();
const database = connectDatabase({ uri: settings.mongo.uri, dbName: settings.mongo.dbName });
afterAll(() => database.close());

describe('database (real MongoDB-wire server)', () => {
  it('answers ping and round-trips a document', async () => {
    await database.ping(2_000);
    const things = database.db.collection<{ _id: string; at: Date; tags: string[] }>(`roundtrip_${randomUUID().slice(0, 8)}`);
    const at = new Date('2026-11-24T10:00:00Z');
    await things.insertOne({ _id: 'a', at, tags: ['x', 'y'] });
    expect(await things.findOne({ _id: 'a' })).toEqual({ _id: 'a', at, tags: ['x', 'y'] });
  });

  it('creates every declared index, and doing it again changes nothing', async () => {
    await ensureIndexes(database.db);
    const first = await database.db.collection(Collections.systemChecks).indexes();
    await ensureIndexes(database.db);
    const second = await database.db.collection(Collections.systemChecks).indexes();
    expect(second).toEqual(first);
    const declared = indexSpecs.filter((spec) => spec.collection === Collections.systemChecks).map((spec) => spec.name);
    expect(second.map((index) => index.name)).toEqual(expect.arrayContaining(declared));
  });

  it('rejects a duplicate on a unique index with code 11000', async () => {
    await ensureIndexes(database.db);
    const checks = database.db.collection(Collections.systemChecks);
    await checks.insertOne({ _id: randomUUID() as never, workflowId: 'wf-dup', checkedAt: new Date() });
    const duplicate = checks.insertOne({ _id: randomUUID() as never, workflowId: 'wf-dup', checkedAt: new Date() });
    await expect(duplicate).rejects.toBeInstanceOf(MongoServerError);
    await expect(duplicate).rejects.toMatchObject({ code: 11000 });
  });

  it('rejects ping within the timeout when the server is unreachable', async () => {
    const nowhere = connectDatabase({ uri: 'mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300', dbName: 'x' });
    await expect(nowhere.ping(1_000)).rejects.toThrow();
    await nowhere.close();
  });
});
