import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EventLog } from '../../../db/repositories/events.js';
import { newTenant } from '../../support/accounts.js';
import { inboundSms, startConnectorWorld, type ConnectorWorld } from '../../support/connectors.js';
import { openEventStream, type EventStreamClient } from '../../support/event-stream-client.js';
import { appendFromAnotherProcess, spawnApiProcess, type ApiProcess } from '../../support/live-processes.js';
import { spawnWorkerProcess, type WorkerProcess } from '../../support/worker-process.js';
import { addAgent, setAvailability, type SseEvent } from '../../support/workspace.js';

// Three processes: this one serves the API (A) without a worker; a worker process records what
// arrives and writes its live events; a second API process (B) serves streams too. FerretDB has no
// change streams, so each API process follows the others by tailing the events collection.
let world: ConnectorWorld;
let worker: WorkerProcess;
let apiB: ApiProcess;
beforeAll(async () => {
  world = await startConnectorWorld({ worker: false });
  [worker, apiB] = await Promise.all([spawnWorkerProcess({ settings: world.system.settings }), spawnApiProcess(world.system.settings)]);
}, 180_000);
afterAll(async () => {
  await Promise.all([worker?.stop(), apiB?.stop()]);
  await world?.stop();
});

const opened: EventStreamClient[] = [];
afterEach(() => {
  for (const stream of opened.splice(0)) stream.close();
});
const open = async (baseUrl: string, token: string, lastEventId: string) => {
  const stream = await openEventStream(baseUrl, token, { lastEventId });
  opened.push(stream);
  return stream;
};

let phone = 0;
const newConsumer = () => `+1415558${String(1000 + ++phone).padStart(4, '0')}`;
const log = () => new EventLog(world.system.services.database.db);
const latestId = async (brandId = world.brandId) => String(await log().latestSeq(brandId));
const ids = (events: SseEvent[]) => events.map((event) => Number(event.id));
const strictlyIncreasing = (numbers: number[]) => numbers.every((n, i) => i === 0 || n > numbers[i - 1]!);
const has = (type: string, conversationId?: unknown) => (events: SseEvent[]) =>
  events.some((event) => event.type === type && (conversationId === undefined || event.data.conversationId === conversationId));
/** Appended here last: a stream that has it has everything before it. */
const marker = (key: string, audience: string[]) =>
  log().append({ brandId: world.brandId, key, type: 'conversation.closed', audience, data: { conversationId: key, reason: 'marker' } });

describe('live events across processes', () => {
  it('reach a stream on this API process, in order and once each, when the worker process writes them', async () => {
    const alice = await addAgent(world, { skills: ['sales'], online: true });
    const stream = await open(world.system.url, alice.token, await latestId());
    await inboundSms(world, { from: newConsumer(), body: 'hello from the other side' });
    await stream.waitUntil((events) => has('conversation.assigned')(events) && has('message.created')(events), 30_000);
    await marker(`marker-${alice.id}`, [alice.id]);
    const events = await stream.waitUntil(has('conversation.closed', `marker-${alice.id}`));

    expect(strictlyIncreasing(ids(events))).toBe(true);
    const conversationId = events.find((event) => event.type === 'conversation.assigned')!.data.conversationId;
    const types = events.filter((event) => event.data.conversationId === conversationId).map((event) => event.type);
    expect(types.filter((type) => type === 'conversation.assigned')).toHaveLength(1);
    expect(types.filter((type) => type === 'message.created')).toHaveLength(1);
    await setAvailability(world, alice, 'offline');
  }, 90_000);

  it('resume with Last-Event-ID on the other API process with exactly what a stream that stayed connected got', async () => {
    const bob = await addAgent(world, { skills: ['sales'], online: true });
    const first = await open(world.system.url, bob.token, await latestId());
    await inboundSms(world, { from: newConsumer(), body: 'before the reconnect' });
    const seen = await first.waitUntil((events) => has('conversation.assigned')(events) && has('message.created')(events), 30_000);
    const lastEventId = seen.at(-1)!.id;
    first.close();

    // Bob is away; a stream of his that stayed connected witnesses what he misses.
    const witness = await open(world.system.url, bob.token, lastEventId);
    await inboundSms(world, { from: newConsumer(), body: 'while you were away' });
    await witness.waitUntil((events) => has('conversation.assigned')(events) && has('message.created')(events), 30_000);
    await marker(`marker-${bob.id}`, [bob.id]);
    const missed = await witness.waitUntil(has('conversation.closed', `marker-${bob.id}`));

    const resumed = await open(apiB.url, bob.token, lastEventId);
    const got = await resumed.waitUntil(has('conversation.closed', `marker-${bob.id}`));
    expect(got.map((event) => [event.id, event.type])).toEqual(missed.map((event) => [event.id, event.type]));
    expect(strictlyIncreasing(ids(got))).toBe(true);
    expect(Number(got[0]!.id)).toBeGreaterThan(Number(lastEventId));
    await setAvailability(world, bob, 'offline');
  }, 90_000);

  it('give streams on both API processes every event of two processes appending at once, each once, in sequence order', async () => {
    const tenant = await newTenant(world.system);
    const from = await latestId(tenant.brandId);
    const streams = [await open(world.system.url, tenant.apiToken, from), await open(apiB.url, tenant.apiToken, from)];
    const keys = (prefix: string) => Array.from({ length: 20 }, (_, i) => `${prefix}${i}`);

    // Short pauses keep the other process appending for as long as this one does.
    const elsewhere = appendFromAnotherProcess(world.system.settings, tenant.brandId, [...keys('b'), ...keys('c')], { pauseMs: 5 });
    await elsewhere.started;
    const here = async (prefix: string) => {
      for (const key of keys(prefix)) {
        await log().append({ brandId: tenant.brandId, key, type: 'message.created', audience: ['everyone'], data: { conversationId: 'c-live', key } });
      }
    };
    await Promise.all([here('a'), here('d'), elsewhere.done]);
    await log().append({ brandId: tenant.brandId, key: 'end', type: 'message.created', audience: ['everyone'], data: { conversationId: 'c-live', key: 'end' } });

    const all = [...keys('a'), ...keys('b'), ...keys('c'), ...keys('d'), 'end'];
    const stored = (await log().since(tenant.brandId, Number(from), { limit: 100 })).map((event) => event.key);
    const firstHere = stored.findIndex((key) => /^[ad]/.test(key));
    expect(stored.slice(firstHere).some((key) => /^[bc]/.test(key)), 'the two processes appended at the same time').toBe(true);
    for (const stream of streams) {
      const events = await stream.waitUntil((seen) => seen.some((event) => event.data.key === 'end'), 30_000);
      expect(ids(events)).toEqual(all.map((_, i) => Number(from) + i + 1));
      expect(events.map((event) => event.data.key).sort()).toEqual([...all].sort());
    }
  }, 90_000);
});
