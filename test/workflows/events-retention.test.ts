import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventLog } from '../../db/repositories/events.js';
import type { RetentionReport } from '../../workflows/retention/workflow.js';
import { newTenant, type Tenant } from '../support/accounts.js';
import { openEventStream } from '../support/event-stream-client.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

let system: TestSystem;
let tenant: Tenant;
beforeAll(async () => {
  system = await startTestSystem({ worker: true, env: { EVENTS_RETENTION_DAYS: '7' } });
  tenant = await newTenant(system);
}, 60_000);
afterAll(() => system?.stop());

const DAY = 24 * 60 * 60 * 1000;
const now = new Date();
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);

const runRetention = (): Promise<RetentionReport> =>
  system.services.temporal.client.workflow.execute('retentionWorkflow', {
    taskQueue: system.settings.temporal.taskQueue,
    workflowId: `retention-test-${randomUUID()}`,
    args: [{ now: now.toISOString(), batchSize: 1 }],
  });

describe('retention of live events', () => {
  it('prunes events older than EVENTS_RETENTION_DAYS; a stream resuming from a pruned id gets what remains', async () => {
    const log = new EventLog(system.services.database.db);
    const append = (key: string, at: Date) =>
      log.append({ brandId: tenant.brandId, key, type: 'message.created', audience: ['x'], at, data: { conversationId: 'c', key } });
    const seqs = [await append('old', daysAgo(9)), await append('just-past', daysAgo(7.01)), await append('recent', daysAgo(6.99)), await append('new', daysAgo(0))];

    expect((await runRetention())[tenant.brandId]).toEqual({ events: 2 });
    expect((await log.since(tenant.brandId, 0, { limit: 10 })).map((event) => event.key)).toEqual(['recent', 'new']);
    expect((await runRetention())[tenant.brandId]).toEqual({});

    const stream = await openEventStream(system.url, tenant.apiToken, { lastEventId: String(seqs[0]) });
    try {
      const events = await stream.waitUntil((seen) => seen.some((event) => event.data.key === 'new'));
      expect(events.map((event) => [Number(event.id), event.data.key])).toEqual([[seqs[2], 'recent'], [seqs[3], 'new']]);
    } finally {
      stream.close();
    }
  }, 60_000);

  it('keeps a quiet brand\'s newest event however old, so numbering goes on after it instead of starting again', async () => {
    const quiet = await newTenant(system);
    const log = new EventLog(system.services.database.db);
    const append = (key: string, at: Date) =>
      log.append({ brandId: quiet.brandId, key, type: 'message.created', audience: ['x'], at, data: { conversationId: 'c', key } });
    await append('older', daysAgo(12));
    const newest = await append('newest', daysAgo(10));

    expect((await runRetention())[quiet.brandId]).toEqual({ events: 1 });
    expect((await log.since(quiet.brandId, 0, { limit: 10 })).map((event) => event.key)).toEqual(['newest']);
    // As another process would (a new database handle: no hint of this brand), the next event follows the kept one.
    const elsewhere = new EventLog(system.services.database.client.db(system.settings.mongo.dbName));
    expect(await elsewhere.append({ brandId: quiet.brandId, key: 'after', type: 'message.created', audience: ['x'], data: { conversationId: 'c' } })).toBe(newest + 1);
  }, 60_000);
});
