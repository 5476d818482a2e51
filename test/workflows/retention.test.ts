import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startWorker } from '../../workers/worker.js';
import { retentionScheduleId, type RetentionReport } from '../../workflows/retention/workflow.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem({ worker: true, env: { TRANSCRIPT_RETENTION_DAYS: '30', VAULT_RETENTION_DAYS: '10' } });
}, 60_000);
afterAll(() => system?.stop());

const DAY = 24 * 60 * 60 * 1000;
const now = new Date('2026-06-15T12:00:00Z');
const daysAgo = (days: number, extraMs = 0) => new Date(now.getTime() - days * DAY + extraMs);

/** Records just inside and just outside each cut-off, for two brands (one with its own retention). */
async function seed() {
  const db = system.services.database.db;
  const vaultDb = system.services.vaultDatabase.db;
  const brandA = `ret-a-${randomUUID().slice(0, 6)}`;
  const brandB = `ret-b-${randomUUID().slice(0, 6)}`;
  await db.collection('brands').insertMany([
    { _id: brandA as never, name: 'A', status: 'active', helpText: '', apiTokens: [], createdAt: now, updatedAt: now },
    { _id: brandB as never, name: 'B', status: 'active', helpText: '', apiTokens: [], createdAt: now, updatedAt: now, retention: { transcriptDays: 60 } },
  ]);
  const message = (brandId: string, days: number, extraMs: number) => ({ _id: randomUUID() as never, brandId, conversationId: 'c', createdAt: daysAgo(days, extraMs) });
  await db.collection('messages').insertMany([
    message(brandA, 30, -1), message(brandA, 30, -60_000), message(brandA, 30, +60_000), message(brandA, 5, 0),
    message(brandB, 30, -60_000), message(brandB, 60, -60_000), message(brandB, 60, +60_000),
  ]);
  await db.collection('conversations').insertMany([
    { _id: randomUUID() as never, brandId: brandA, status: 'closed', lastMessageAt: daysAgo(31) },
    { _id: randomUUID() as never, brandId: brandA, status: 'open', lastMessageAt: daysAgo(31) },
    { _id: randomUUID() as never, brandId: brandA, status: 'closed', lastMessageAt: daysAgo(29) },
  ]);
  await vaultDb.collection('vault_records').insertMany([
    { _id: randomUUID() as never, brandId: brandA, formId: 'f', createdAt: daysAgo(10, -60_000), fields: {} },
    { _id: randomUUID() as never, brandId: brandA, formId: 'f', createdAt: daysAgo(10, +60_000), fields: {} },
  ]);
  return { brandA, brandB };
}

async function runRetention(): Promise<RetentionReport> {
  return system.services.temporal.client.workflow.execute('retentionWorkflow', {
    taskQueue: system.settings.temporal.taskQueue,
    workflowId: `retention-test-${randomUUID()}`,
    args: [{ now: now.toISOString(), batchSize: 2 }],
  });
}

describe('retention', () => {
  it('is a Temporal Schedule, created when the worker starts', async () => {
    const description = await system.services.temporal.client.schedule.getHandle(retentionScheduleId(system.settings.temporal.taskQueue)).describe();
    expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'retentionWorkflow' });
    expect(description.memo?.cron).toBe('0 3 * * *');
  });

  it('deletes exactly what is past each brand\'s retention, in batches, and reports counts per brand', async () => {
    const { brandA, brandB } = await seed();
    const report = await runRetention();
    expect(report[brandA]).toEqual({ messages: 2, conversations: 1, vault: 1 });
    expect(report[brandB]).toEqual({ messages: 1 });
    const db = system.services.database.db;
    expect(await db.collection('messages').countDocuments({ brandId: brandA })).toBe(2);
    expect(await db.collection('messages').countDocuments({ brandId: brandB })).toBe(2);
    expect(await db.collection('conversations').countDocuments({ brandId: brandA })).toBe(2);
    expect(await system.services.vaultDatabase.db.collection('vault_records').countDocuments({ brandId: brandA })).toBe(1);

    const again = await runRetention();
    expect(again[brandA]).toEqual({});
    expect(again[brandB]).toEqual({});
  });

  it('deletes expired one-time keys and sessions', async () => {
    const db = system.services.database.db;
    await db.collection('one_time_keys').insertMany([
      { _id: randomUUID() as never, action: 'open', brandId: 'x', formId: 'f', expiresAt: daysAgo(1) },
      { _id: randomUUID() as never, action: 'open', brandId: 'x', formId: 'f', expiresAt: daysAgo(-1) },
    ]);
    await db.collection('sessions').insertMany([
      { _id: randomUUID() as never, userId: 'u', brandId: 'x', createdAt: daysAgo(2), lastSeenAt: daysAgo(2), expiresAt: daysAgo(1) },
    ]);
    const report = await runRetention();
    expect(report['*']!.oneTimeKeys).toBeGreaterThanOrEqual(1);
    expect(report['*']!.sessions).toBeGreaterThanOrEqual(1);
    expect(await db.collection('one_time_keys').countDocuments({ expiresAt: { $lt: now } })).toBe(0);
    expect(await db.collection('one_time_keys').countDocuments({ expiresAt: { $gte: now } })).toBeGreaterThanOrEqual(1);
  });
  // Last: it stops this file's worker.
  it('resumes where it left off when the worker dies mid-run', async () => {
    const db = system.services.database.db;
    const brandId = `ret-c-${randomUUID().slice(0, 6)}`;
    await db.collection('brands').insertOne({ _id: brandId as never, name: 'C', status: 'active', helpText: '', apiTokens: [], createdAt: now, updatedAt: now });
    await db.collection('messages').insertMany(Array.from({ length: 30 }, () => ({ _id: randomUUID() as never, brandId, conversationId: 'c', createdAt: daysAgo(40) })));
    const handle = await system.services.temporal.client.workflow.start('retentionWorkflow', {
      taskQueue: system.settings.temporal.taskQueue,
      workflowId: `retention-crash-${randomUUID()}`,
      args: [{ now: now.toISOString(), batchSize: 1 }],
    });
    await expect.poll(() => db.collection('messages').countDocuments({ brandId }), { timeout: 15_000, interval: 20 }).toBeLessThan(28);
    await system.worker!.shutdown();
    const leftWhenStopped = await db.collection('messages').countDocuments({ brandId });
    expect(leftWhenStopped).toBeGreaterThan(0);
    const restarted = await startWorker(system.services, { workflowBundlePath: inject('workflowBundlePath') });
    try {
      const report = (await handle.result()) as RetentionReport;
      expect(report[brandId]).toEqual({ messages: 30 });
      expect(await db.collection('messages').countDocuments({ brandId })).toBe(0);
    } finally {
      await restarted.shutdown();
    }
  }, 60_000);
});
