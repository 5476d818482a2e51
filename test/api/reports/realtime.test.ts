import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signalRouter } from '../../../services/routing/router-notices.js';
import { addUser, newTenant, request, type Account, type Tenant } from '../../support/accounts.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';

let system: TestSystem;
let tenant: Tenant;
let other: Tenant;
let manager: Account;
const now = Date.now();
const ago = (minutes: number) => new Date(now - minutes * 60_000);

async function seed(brandId: string, open: number, failedRecently: number) {
  const db = system.services.database.db;
  const conversation = (id: string, status: string) => ({
    _id: `${brandId}-${id}`, workflowId: `w-${id}`, brandId, channel: 'sms', channelId: 'ch', entryPointId: 'ep', queueId: 'sales',
    consumer: { pseudonym: id }, status, openedAt: ago(60), lastMessageAt: ago(60), messageCount: 0,
  });
  await db.collection('conversations').insertMany([
    ...Array.from({ length: open }, (_, i) => conversation(`open${i}`, 'open')),
    conversation('closed', 'closed'),
  ] as never[]);
  const message = (id: string, direction: string, status: string, minutesAgo: number) => ({
    _id: `${brandId}-${id}`, conversationId: `${brandId}-open0`, brandId, direction, channel: 'sms', kind: 'text', attachments: [],
    status, statusRank: 0, statusHistory: [], createdAt: ago(minutesAgo),
  });
  await db.collection('messages').insertMany([
    ...Array.from({ length: failedRecently }, (_, i) => message(`f${i}`, 'outbound', 'failed', 1)),
    message('u', 'outbound', 'undelivered', 2),
    message('d', 'outbound', 'delivered', 3),
    message('s', 'outbound', 'sent', 14),
    message('in', 'inbound', 'received', 2),
    message('old', 'outbound', 'failed', 20), // outside the 15-minute window
  ] as never[]);
}

const realtime = async (token = manager.token) => {
  const response = await request(system, 'GET', '/api/v1/reports/realtime', { token });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
};
const setAvailability = async (account: Account, availability: string) =>
  expect((await request(system, 'PUT', '/api/v1/me/availability', { token: account.token, body: { availability } })).status).toBe(200);

beforeAll(async () => {
  system = await startTestSystem({ worker: true });
  [tenant, other] = await Promise.all([newTenant(system), newTenant(system)]);
  manager = await addUser(system, tenant, { profile: 'manager' });
  const [online, away] = await Promise.all([addUser(system, tenant), addUser(system, tenant)]);
  await Promise.all([setAvailability(online, 'online'), setAvailability(away, 'away')]);
  const elsewhere = await addUser(system, other);
  await setAvailability(elsewhere, 'online');
  await Promise.all([seed(tenant.brandId, 3, 1), seed(other.brandId, 5, 4)]);
}, 120_000);
afterAll(() => system?.stop());

describe('real-time operations', () => {
  it('counts active conversations, agents online and away, and the delivery failure rate of the last 15 minutes', async () => {
    const body = await realtime();
    expect(body).toMatchObject({
      activeConversations: 3,
      agents: { online: 1, away: 1 },
      // Outbound in the window: failed, undelivered, delivered, sent → 2 of 4 failed.
      delivery: { windowMinutes: 15, outbound: 4, failed: 2, failureRate: 0.5 },
    });
  });

  it('reports each queue with its depth and oldest waiting conversation from the brand router', async () => {
    const deps = { db: system.services.database.db, client: system.services.temporal.client, taskQueue: system.settings.temporal.taskQueue };
    const waiting = [
      { conversationId: 'q1', queueId: 'sales', arrivedAt: '2026-11-24T10:05:00.000Z' },
      { conversationId: 'q2', queueId: 'sales', arrivedAt: '2026-11-24T10:00:00.000Z' },
      { conversationId: 'q3', queueId: 'billing', arrivedAt: '2026-11-24T10:07:00.000Z' },
    ];
    for (const item of waiting) await signalRouter(deps, tenant.brandId, { kind: 'waiting', item: { ...item, workflowId: `conversation:${item.conversationId}` } });
    await expect.poll(async () => (await realtime()).queues, { timeout: 15_000 }).toEqual([
      { queueId: 'billing', waiting: 1, oldestWaitingSince: '2026-11-24T10:07:00.000Z' },
      { queueId: 'sales', waiting: 2, oldestWaitingSince: '2026-11-24T10:00:00.000Z' },
    ]);
  });

  it('shows another brand only its own figures, and no queues when nothing waits', async () => {
    expect(await realtime(other.admin.token)).toMatchObject({
      queues: [], activeConversations: 5, agents: { online: 1, away: 0 }, delivery: { outbound: 7, failed: 5 },
    });
  });
});
