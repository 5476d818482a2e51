import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { OneTimeKeys } from '../../../services/forms/one-time-keys.js';
import { connectDatabase } from '../../../db/connection.js';
import { testSettings } from '../../support/settings.js';

const settings = testSettings();
const database = connectDatabase({ uri: settings.mongo.uri, dbName: settings.mongo.dbName });
afterAll(() => database.close());
const keys = new OneTimeKeys(database.db);
const binding = () => ({ brandId: 'acme', formId: randomUUID() });

describe('one-time keys', () => {
  it('are 256-bit URL-safe values stored only as hashes', async () => {
    const { key } = await keys.issue({ action: 'open', ...binding(), ttlMs: 60_000 });
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = JSON.stringify(await database.db.collection('one_time_keys').find({}).toArray());
    expect(stored).not.toContain(key);
  });

  it('give exactly one success to 100 concurrent redemptions', async () => {
    const { key } = await keys.issue({ action: 'reveal', ...binding(), agentId: 'alice', ttlMs: 60_000 });
    const results = await Promise.all(Array.from({ length: 100 }, () => keys.consume(key, { action: 'reveal', agentId: 'alice' })));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('never work for another action, form, brand or agent', async () => {
    const bound = binding();
    const { key } = await keys.issue({ action: 'submit', ...bound, ttlMs: 60_000 });
    expect(await keys.consume(key, { action: 'open' })).toBeUndefined();
    expect(await keys.consume(key, { action: 'reveal' })).toBeUndefined();
    expect(await keys.consume(key, { action: 'submit', formId: randomUUID() })).toBeUndefined();
    expect(await keys.consume(key, { action: 'submit', formId: bound.formId, brandId: 'globex' })).toBeUndefined();
    expect(await keys.consume(key, { action: 'submit', formId: bound.formId, brandId: 'acme' })).toBeDefined();
    const reveal = await keys.issue({ action: 'reveal', ...bound, agentId: 'alice', ttlMs: 60_000 });
    expect(await keys.consume(reveal.key, { action: 'reveal', agentId: 'bob' })).toBeUndefined();
  });

  it('expire, and a used or expired key looks exactly like an unknown one', async () => {
    const { key } = await keys.issue({ action: 'open', ...binding(), ttlMs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await keys.consume(key, { action: 'open' })).toBeUndefined();
    expect(await keys.consume('x'.repeat(43), { action: 'open' })).toBeUndefined();
  });

  it('can be looked at any number of times without being spent (peek), but not once used', async () => {
    const bound = binding();
    const { key } = await keys.issue({ action: 'open', ...bound, ttlMs: 60_000 });
    expect(await keys.peek(key, { action: 'open' })).toMatchObject({ formId: bound.formId, brandId: 'acme' });
    expect(await keys.peek(key, { action: 'open' })).toBeDefined();
    expect(await keys.peek(key, { action: 'submit' })).toBeUndefined();
    expect(await keys.consume(key, { action: 'open' })).toBeDefined();
    expect(await keys.peek(key, { action: 'open' })).toBeUndefined();
  });

  it('are cleaned up once expired', async () => {
    const { key } = await keys.issue({ action: 'open', ...binding(), ttlMs: 1 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await keys.deleteExpired(new Date())).toBeGreaterThanOrEqual(1);
    expect(await keys.consume(key, { action: 'open' })).toBeUndefined();
  });
});
