import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, newTenant, request, type Account, type Tenant } from '../../support/accounts.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';

/**
 * A hand-built set of conversations, messages and secure forms, seeded straight into the database
 * for two brands (identical data): every figure below is computed by hand from it, and brand B's
 * copy must never be counted for brand A.
 */
let system: TestSystem;
let tenant: Tenant;
let manager: Account;
let agent: Account;

const t = (iso: string) => new Date(iso);
interface Conv { id: string; channel: 'sms' | 'messenger'; entryPointId: string; queueId: string; openedAt: string; closedAt?: string; agentId?: string }
interface Msg { conv: string; direction: 'inbound' | 'outbound' | 'internal'; at: string; status?: string; agentId?: string }

const conversations: Conv[] = [
  { id: 'c1', channel: 'sms', entryPointId: 'ep-sms', queueId: 'sales', openedAt: '2026-03-28T23:10:00Z', closedAt: '2026-03-28T23:40:00Z', agentId: 'agent-a' },
  { id: 'c2', channel: 'sms', entryPointId: 'ep-sms', queueId: 'sales', openedAt: '2026-03-29T08:05:00Z', closedAt: '2026-03-29T09:05:00Z', agentId: 'agent-a' },
  { id: 'c3', channel: 'messenger', entryPointId: 'ep-fb', queueId: 'support', openedAt: '2026-03-29T08:30:00Z', agentId: 'agent-b' },
  { id: 'c4', channel: 'messenger', entryPointId: 'ep-fb', queueId: 'support', openedAt: '2026-03-29T22:15:00Z' },
  // Opened before the summary range, closed inside it: handle time only.
  { id: 'c5', channel: 'sms', entryPointId: 'ep-sms', queueId: 'sales', openedAt: '2026-03-27T12:00:00Z', closedAt: '2026-03-28T12:00:00Z', agentId: 'agent-b' },
  // Across the spring-forward hour in Paris (01:45 CET, then 03:15 CEST).
  { id: 'c6', channel: 'sms', entryPointId: 'ep-sms', queueId: 'sales', openedAt: '2026-03-29T00:45:00Z' },
  // Across the fall-back hour in Paris (02:30 CEST, then 02:30 CET).
  { id: 'c7', channel: 'messenger', entryPointId: 'ep-fb', queueId: 'support', openedAt: '2026-10-25T00:30:00Z' },
];
const messages: Msg[] = [
  { conv: 'c1', direction: 'inbound', at: '2026-03-28T23:10:00Z' },
  { conv: 'c1', direction: 'outbound', at: '2026-03-28T23:10:30Z', status: 'delivered', agentId: 'agent-a' },
  { conv: 'c1', direction: 'outbound', at: '2026-03-28T23:12:00Z', status: 'read', agentId: 'agent-a' },
  { conv: 'c2', direction: 'inbound', at: '2026-03-29T08:05:00Z' },
  { conv: 'c2', direction: 'outbound', at: '2026-03-29T08:05:01Z', status: 'delivered' }, // automatic greeting: not a response
  { conv: 'c2', direction: 'outbound', at: '2026-03-29T08:07:00Z', status: 'failed', agentId: 'agent-a' },
  { conv: 'c3', direction: 'inbound', at: '2026-03-29T08:30:00Z' },
  { conv: 'c3', direction: 'inbound', at: '2026-03-29T08:31:00Z' },
  { conv: 'c3', direction: 'internal', at: '2026-03-29T08:35:00Z', agentId: 'agent-b' },
  { conv: 'c3', direction: 'outbound', at: '2026-03-29T08:40:00Z', status: 'undelivered', agentId: 'agent-b' },
  { conv: 'c4', direction: 'inbound', at: '2026-03-29T22:15:00Z' },
  { conv: 'c4', direction: 'outbound', at: '2026-03-29T22:16:00Z', status: 'sent' },
  { conv: 'c5', direction: 'inbound', at: '2026-03-28T11:00:00Z' },
  { conv: 'c6', direction: 'inbound', at: '2026-03-29T00:45:00Z' },
  { conv: 'c6', direction: 'outbound', at: '2026-03-29T01:15:00Z', status: 'queued' },
  { conv: 'c7', direction: 'inbound', at: '2026-10-25T00:30:00Z' },
  { conv: 'c7', direction: 'inbound', at: '2026-10-25T01:30:00Z' },
];
const forms = [
  { id: 'f1', conv: 'c2', sentAt: '2026-03-29T08:10:00Z', status: 'submitted' },
  { id: 'f2', conv: 'c2', sentAt: '2026-03-29T09:00:00Z', status: 'expired' },
  { id: 'f3', conv: 'c3', sentAt: '2026-03-29T10:00:00Z', status: 'sent' },
  { id: 'f4', conv: 'c3', sentAt: '2026-03-29T10:30:00Z', status: 'opened' },
  { id: 'f5', conv: 'c5', sentAt: '2026-03-27T13:00:00Z', status: 'submitted' },
];

async function seed(brandId: string) {
  const db = system.services.database.db;
  const id = (local: string) => `${brandId}-${local}`;
  await db.collection('conversations').insertMany(conversations.map((c) => ({
    _id: id(c.id), workflowId: `conversation:${id(c.id)}`, brandId, channel: c.channel, channelId: `ch-${c.channel}`, entryPointId: c.entryPointId,
    queueId: c.queueId, consumer: { pseudonym: `p-${c.id}` }, status: c.closedAt ? 'closed' : 'open', openedAt: t(c.openedAt),
    ...(c.closedAt ? { closedAt: t(c.closedAt) } : {}), lastMessageAt: t(c.openedAt), messageCount: 0, ...(c.agentId ? { agentId: c.agentId } : {}),
  })) as never[]);
  await db.collection('messages').insertMany(messages.map((m, i) => ({
    _id: id(`m${i}`), conversationId: id(m.conv), brandId, direction: m.direction, channel: conversations.find((c) => c.id === m.conv)!.channel,
    kind: m.direction === 'internal' ? 'note' : 'text', attachments: [], status: m.status ?? 'received', statusRank: 0, statusHistory: [],
    createdAt: t(m.at), ...(m.agentId ? { agentId: m.agentId } : {}),
  })) as never[]);
  await db.collection('secure_forms').insertMany(forms.map((f) => ({
    _id: id(f.id), brandId, conversationId: id(f.conv), agentId: 'agent-a', templateId: 'card-payment', title: 'Pay', fields: [],
    status: f.status, sentAt: t(f.sentAt), linkExpiresAt: new Date(t(f.sentAt).getTime() + 3600_000),
  })) as never[]);
}

beforeAll(async () => {
  system = await startTestSystem();
  tenant = await newTenant(system);
  [manager, agent] = await Promise.all([addUser(system, tenant, { profile: 'manager' }), addUser(system, tenant, { profile: 'agent' })]);
  const other = await newTenant(system);
  await Promise.all([seed(tenant.brandId), seed(other.brandId)]);
});
afterAll(() => system?.stop());

const get = (path: string, token = manager.token) => request(system, 'GET', path, { token });
async function csv(path: string, token = manager.token) {
  const response = await fetch(`${system.url}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'text/csv' } });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}
const volumes = async (query: string) => {
  const response = await get(`/api/v1/reports/volumes?${query}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.items;
};
const row = (bucket: string, start: string, group: string, conversationsOpened: number, messagesInbound: number, messagesOutbound: number) =>
  ({ bucket, start, group, conversationsOpened, messagesInbound, messagesOutbound });

describe('volumes', () => {
  it('counts per UTC day and channel', async () => {
    expect(await volumes('from=2026-03-28T00:00:00Z&to=2026-03-31T00:00:00Z&granularity=day')).toEqual([
      row('2026-03-28T00:00', '2026-03-28T00:00:00.000Z', 'sms', 1, 2, 2),
      row('2026-03-29T00:00', '2026-03-29T00:00:00.000Z', 'messenger', 2, 3, 2),
      row('2026-03-29T00:00', '2026-03-29T00:00:00.000Z', 'sms', 2, 2, 3),
    ]);
  });

  it('counts per local day in Europe/Paris, whose 29 March 2026 lasts 23 hours', async () => {
    const items = await volumes(`from=${encodeURIComponent('2026-03-28T00:00:00+01:00')}&to=${encodeURIComponent('2026-03-31T00:00:00+02:00')}&granularity=day&timeZone=Europe/Paris`);
    expect(items).toEqual([
      row('2026-03-28T00:00', '2026-03-27T23:00:00.000Z', 'sms', 0, 1, 0),
      row('2026-03-29T00:00', '2026-03-28T23:00:00.000Z', 'messenger', 1, 2, 1),
      row('2026-03-29T00:00', '2026-03-28T23:00:00.000Z', 'sms', 3, 3, 5),
      row('2026-03-30T00:00', '2026-03-29T22:00:00.000Z', 'messenger', 1, 1, 1),
    ]);
    expect(Date.parse(items[3].start) - Date.parse(items[1].start)).toBe(23 * 3600_000);
  });

  it('counts per UTC hour and entry point', async () => {
    expect(await volumes('from=2026-03-29T08:00:00Z&to=2026-03-29T10:00:00Z&granularity=hour&groupBy=entryPoint')).toEqual([
      row('2026-03-29T08:00', '2026-03-29T08:00:00.000Z', 'ep-fb', 1, 2, 1),
      row('2026-03-29T08:00', '2026-03-29T08:00:00.000Z', 'ep-sms', 1, 1, 2),
    ]);
  });

  it('labels Paris hours across the spring-forward gap (01:00 then 03:00), per queue', async () => {
    expect(await volumes('from=2026-03-29T00:00:00Z&to=2026-03-29T02:00:00Z&granularity=hour&groupBy=queue&timeZone=Europe/Paris')).toEqual([
      row('2026-03-29T01:00', '2026-03-29T00:00:00.000Z', 'sales', 1, 1, 0),
      row('2026-03-29T03:00', '2026-03-29T01:00:00.000Z', 'sales', 0, 0, 1),
    ]);
  });

  it('keeps the two Paris 02:00 hours of the fall-back night apart, and their 25-hour day whole', async () => {
    expect(await volumes('from=2026-10-25T00:00:00Z&to=2026-10-25T02:00:00Z&granularity=hour&timeZone=Europe/Paris')).toEqual([
      row('2026-10-25T02:00', '2026-10-25T00:00:00.000Z', 'messenger', 1, 1, 0),
      row('2026-10-25T02:00', '2026-10-25T01:00:00.000Z', 'messenger', 0, 1, 0),
    ]);
    expect(await volumes(`from=${encodeURIComponent('2026-10-25T00:00:00+02:00')}&to=${encodeURIComponent('2026-10-26T00:00:00+01:00')}&timeZone=Europe/Paris`)).toEqual([
      row('2026-10-25T00:00', '2026-10-24T22:00:00.000Z', 'messenger', 1, 2, 0),
    ]);
  });

  it('answers CSV when Accept prefers text/csv', async () => {
    const response = await csv('/api/v1/reports/volumes?from=2026-03-28T00:00:00Z&to=2026-03-31T00:00:00Z');
    expect(response.status).toBe(200);
    expect(response.type).toMatch(/^text\/csv/);
    expect(response.text).toBe(
      'bucket,start,channel,conversationsOpened,messagesInbound,messagesOutbound\r\n' +
        '2026-03-28T00:00,2026-03-28T00:00:00.000Z,sms,1,2,2\r\n' +
        '2026-03-29T00:00,2026-03-29T00:00:00.000Z,messenger,2,3,2\r\n' +
        '2026-03-29T00:00,2026-03-29T00:00:00.000Z,sms,2,2,3\r\n',
    );
  });

  it.each([
    ['from=2026-03-29T00:00:00Z&to=2026-03-29T00:00:00Z', 'to must be after from'],
    ['from=2026-03-29T00:00:00Z&to=2026-03-28T00:00:00Z', 'to must be after from'],
    ['from=2025-01-01T00:00:00Z&to=2026-01-03T00:00:00Z', 'The range may span at most 366 days'],
    ['from=yesterday&to=2026-01-03T00:00:00Z', 'from must be an ISO 8601 date-time'],
    ['from=2026-03-28T00:00:00Z&to=2026-03-29T00:00:00Z&timeZone=Mars/Olympus', 'Unknown time zone: Mars/Olympus'],
  ])('rejects %s with 400', async (query, message) => {
    const response = await get(`/api/v1/reports/volumes?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain(message);
  });
});

describe('summary', () => {
  const expected = {
    from: '2026-03-28T00:00:00.000Z', to: '2026-03-31T00:00:00.000Z',
    firstResponse: { count: 3, averageSeconds: 250, medianSeconds: 120 }, // 30 s, 120 s, 600 s
    handleTime: { count: 3, averageSeconds: 30600 }, // 1800 s, 3600 s, 86400 s
    messages: { delivered: 3, failed: 2, other: 2 },
    conversationsPerAgent: [{ agentId: 'agent-a', conversations: 2 }, { agentId: 'agent-b', conversations: 1 }],
    unassignedConversations: 2,
    secureForms: { sent: 4, submitted: 1, expired: 1 },
  };

  it('computes every figure of the range', async () => {
    const response = await get('/api/v1/reports/summary?from=2026-03-28T00:00:00Z&to=2026-03-31T00:00:00Z');
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toEqual(expected);
  });

  it('takes the mean of the two middle values as the median of an even count', async () => {
    // Only c1 (30 s) and c2 (120 s) were opened before 08:30.
    const response = await get('/api/v1/reports/summary?from=2026-03-28T00:00:00Z&to=2026-03-29T08:30:00Z');
    expect(response.body.firstResponse).toEqual({ count: 2, averageSeconds: 75, medianSeconds: 75 });
  });

  it('answers one CSV row per figure', async () => {
    const response = await csv('/api/v1/reports/summary?from=2026-03-28T00:00:00Z&to=2026-03-31T00:00:00Z');
    expect(response.status).toBe(200);
    expect(response.type).toMatch(/^text\/csv/);
    expect(response.text.split('\r\n')).toEqual([
      'figure,value', 'firstResponse.count,3', 'firstResponse.averageSeconds,250', 'firstResponse.medianSeconds,120',
      'handleTime.count,3', 'handleTime.averageSeconds,30600', 'messages.delivered,3', 'messages.failed,2', 'messages.other,2',
      'conversationsPerAgent.agent-a,2', 'conversationsPerAgent.agent-b,1', 'conversationsPerAgent.unassigned,2',
      'secureForms.sent,4', 'secureForms.submitted,1', 'secureForms.expired,1', '',
    ]);
  });

  it('answers JSON when JSON is preferred or nothing is asked', async () => {
    const response = await fetch(`${system.url}/api/v1/reports/summary?from=2026-03-28T00:00:00Z&to=2026-03-31T00:00:00Z`, {
      headers: { authorization: `Bearer ${manager.token}`, accept: 'application/json, text/csv;q=0.5' },
    });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(expected);
  });

  it('is open to admins, not to agents', async () => {
    expect((await get('/api/v1/reports/summary?from=2026-03-28T00:00:00Z&to=2026-03-31T00:00:00Z', tenant.admin.token)).status).toBe(200);
    for (const path of ['summary?from=2026-03-28T00:00:00Z&to=2026-03-31T00:00:00Z', 'volumes?from=2026-03-28T00:00:00Z&to=2026-03-31T00:00:00Z', 'realtime']) {
      expect((await get(`/api/v1/reports/${path}`, agent.token)).status).toBe(403);
      expect((await csv(`/api/v1/reports/${path}`, agent.token)).status).toBe(403);
    }
  });
});
