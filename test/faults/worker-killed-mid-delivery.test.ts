import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, inboundSms, listConversations, openSmsConversation, startConnectorWorld, transcript, type ConnectorWorld } from '../support/connectors.js';
import { settingsToEnv, spawnWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

// The API runs here without a worker; the worker is a separate process, SIGKILLed as a crash would.
let world: ConnectorWorld;
beforeAll(async () => {
  world = await startConnectorWorld({ worker: false, env: { DELIVERY_RETRY_INITIAL_MS: '500', DELIVERY_RETRY_MAX_MS: '2000' } });
}, 60_000);
afterAll(() => world?.stop());

const workers: WorkerProcess[] = [];
afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.kill();
});
async function startWorker() {
  const worker = await spawnWorkerProcess({ settings: world.system.settings });
  workers.push(worker);
  return worker;
}

let phone = 0;
const newConsumer = () => `+1415556${String(1000 + ++phone).padStart(4, '0')}`;
const sendsTo = (to: string) => world.twilio.requests.filter((r) => r.method === 'POST' && new URLSearchParams(r.rawBody).get('To') === to);
const lookupsOf = (to: string) => world.twilio.requests.filter((r) => r.method === 'GET' && r.query.get('To') === to);
const sentTo = (to: string) => world.twilio.sent.filter((m) => m.to === to).map((m) => m.body);
const reply = (id: string, text: string) => call(world, 'POST', `/api/v1/conversations/${id}/replies`, world.apiToken, { text });
type MessageView = Awaited<ReturnType<typeof transcript>>[number] & { statusHistory: { status: string }[] };
const messageOf = async (id: string, messageId: string) => (await transcript(world, id)).find((m) => m.id === messageId) as MessageView | undefined;

const openConversation = (from: string) => openSmsConversation(world, from, { timeoutMs: 30_000 });

describe('a worker process killed mid-flight', () => {
  it('gives the worker process the provider stand-ins of the world', () => {
    expect(settingsToEnv(world.system.settings)).toMatchObject({
      TWILIO_API_BASE_URL: world.twilio.baseUrl,
      FACEBOOK_GRAPH_BASE_URL: world.facebook.baseUrl,
      PUBLIC_BASE_URL: world.system.url,
      TEMPORAL_TASK_QUEUE: world.system.settings.temporal.taskQueue,
      DELIVERY_RETRY_INITIAL_MS: '500',
    });
  });

  it('sends a reply exactly once when the worker dies while Twilio holds its answer', async () => {
    await startWorker();
    const from = newConsumer();
    const id = await openConversation(from);

    // Twilio takes the message at once but answers only in 30 s: the answer is lost with the worker.
    world.twilio.delayNext(30_000);
    const sent = await reply(id, 'your order has shipped');
    expect(sent.status).toBe(202);
    await expect.poll(() => sentTo(from), { timeout: 30_000 }).toEqual(['your order has shipped']);
    const doomed = workers.pop()!;
    await doomed.kill();
    expect(() => process.kill(doomed.pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    expect((await messageOf(id, sent.body.messageId))?.status).toBe('pending');

    await startWorker();
    // The heartbeat timeout (20 s) ends the dead attempt; the retry finds the message at Twilio instead of sending it again.
    await expect.poll(async () => (await messageOf(id, sent.body.messageId))?.status, { timeout: 90_000, interval: 500 }).toBe('queued');
    expect(sentTo(from)).toEqual(['your order has shipped']);
    expect(sendsTo(from)).toHaveLength(1);
    expect(lookupsOf(from).length, 'the retry looked the message up at Twilio').toBeGreaterThanOrEqual(1);

    // The lane delivers in order: once a later reply went out, the first can no longer be retried.
    const next = await reply(id, 'anything else?');
    expect(next.status).toBe(202);
    await expect.poll(() => sentTo(from), { timeout: 30_000 }).toEqual(['your order has shipped', 'anything else?']);
    await expect.poll(async () => (await messageOf(id, next.body.messageId))?.status, { timeout: 15_000 }).toBe('queued');
    expect(sendsTo(from)).toHaveLength(2);
    const outbound = (await transcript(world, id)).filter((m) => m.direction === 'outbound');
    expect(outbound.map((m) => [m.text, m.status])).toEqual([['your order has shipped', 'queued'], ['anything else?', 'queued']]);
    const delivered = (await messageOf(id, sent.body.messageId))!;
    expect(delivered.statusHistory.map((entry) => entry.status)).not.toContain('failed');
  }, 180_000);

  it('records every inbound message exactly once, in order, across a worker killed while recording them', async () => {
    await startWorker();
    const from = newConsumer();
    const id = await openConversation(from);

    // The first is answered once Temporal has it; the worker dies while (or just before) recording it.
    expect((await inboundSms(world, { from, body: 'one' })).status).toBe(200);
    const doomed = workers.pop()!;
    await doomed.kill();
    // The rest arrive while no worker runs at all.
    for (const body of ['two', 'three', 'four', 'five']) expect((await inboundSms(world, { from, body })).status).toBe(200);

    await startWorker();
    const expected = ['hello', 'one', 'two', 'three', 'four', 'five'];
    await expect.poll(async () => (await transcript(world, id)).map((m) => m.text), { timeout: 90_000, interval: 500 }).toEqual(expected);
    // Still exactly these once the conversation has processed them all (the count is the workflow's).
    await expect.poll(async () => (await call(world, 'GET', `/api/v1/conversations/${id}`, world.apiToken)).body.messageCount, { timeout: 15_000 }).toBe(expected.length);
    expect((await transcript(world, id)).map((m) => m.text)).toEqual(expected);
    // One conversation holds them all: none was started twice for the same consumer.
    const views = await Promise.all((await listConversations(world)).map(async (c) => (await call(world, 'GET', `/api/v1/conversations/${c.id}`, world.apiToken)).body));
    expect(views.filter((v) => v.consumer.display.endsWith(from.slice(-4))).map((v) => v.id)).toEqual([id]);
  }, 180_000);
});
