import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventLog } from '../../../db/repositories/events.js';
import { call, inboundSms, startConnectorWorld, type ConnectorWorld } from '../../support/connectors.js';
import { addAgent, readEvents, setAvailability, type SseEvent } from '../../support/workspace.js';

let world: ConnectorWorld;
beforeAll(async () => {
  world = await startConnectorWorld();
}, 60_000);
afterAll(() => world?.stop());

let phone = 0;
const newConsumer = () => `+1415557${String(1000 + ++phone).padStart(4, '0')}`;
const types = (events: SseEvent[]) => events.map((event) => event.type);
/** The id of the brand's latest event: what a client that saw everything so far would send as Last-Event-ID. */
const currentEventId = async () => String(await new EventLog(world.system.services.database.db).latestSeq(world.brandId));

describe('live events (SSE)', () => {
  it('tell an online agent about the conversation they are given and its messages, ids only', async () => {
    const alice = await addAgent(world, { skills: ['sales'], online: true });
    const canary = `CANARY-${Date.now()}`;
    const stream = readEvents(world, alice.token, { until: (events) => types(events).includes('message.created') && types(events).includes('conversation.assigned') });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await inboundSms(world, { from: newConsumer(), body: `${canary} hello` });
    const events = await stream;
    expect(types(events)).toEqual(expect.arrayContaining(['conversation.assigned', 'message.created']));
    const assigned = events.find((event) => event.type === 'conversation.assigned')!;
    expect(assigned.data).toMatchObject({ kind: 'assigned', agentId: alice.id });
    expect(JSON.stringify(events)).not.toContain(canary);
    for (const event of events.filter((event) => event.type !== 'stream.position')) expect(Number(event.id)).toBeGreaterThan(0);
    await setAvailability(world, alice, 'offline');
  });

  it('name their position first when opened from now, so a reconnection before any event still gets what it missed', async () => {
    const erin = await addAgent(world, { skills: ['sales'], online: true });
    const [position] = await readEvents(world, erin.token, { until: (events) => events.length > 0 });
    expect(position).toMatchObject({ type: 'stream.position', data: {} });
    expect(position!.id).toBe(await currentEventId());
    await inboundSms(world, { from: newConsumer(), body: 'while the stream was down' });
    const missed = await readEvents(world, erin.token, {
      lastEventId: position!.id,
      until: (events) => types(events).includes('conversation.assigned') && types(events).includes('message.created'),
    });
    expect(types(missed)).not.toContain('stream.position');
    expect(missed.find((event) => event.type === 'conversation.assigned')!.data).toMatchObject({ agentId: erin.id });
    await setAvailability(world, erin, 'offline');
  }, 60_000);

  it('resume with Last-Event-ID: a reconnecting agent gets exactly what it missed', async () => {
    const bob = await addAgent(world, { skills: ['sales'], online: true });
    // Bob is disconnected; he remembers the last event id he saw.
    const mine = async () => (await call(world, 'GET', '/api/v1/conversations?view=mine', bob.token)).body.items as { id: string }[];
    const before = (await mine()).length;
    const lastEventId = await currentEventId();
    await inboundSms(world, { from: newConsumer(), body: 'while you were away' });
    await expect.poll(async () => (await mine()).length, { timeout: 15_000 }).toBe(before + 1);
    const missed = await readEvents(world, bob.token, {
      lastEventId,
      until: (events) => types(events).includes('conversation.assigned') && types(events).includes('message.created'),
    });
    expect(types(missed)).toEqual(expect.arrayContaining(['conversation.assigned', 'message.created']));
    expect(missed.every((event) => Number(event.id) > Number(lastEventId))).toBe(true);
    const ids = missed.map((event) => Number(event.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    await setAvailability(world, bob, 'offline');
  }, 60_000);

  it('are filtered: an agent of another queue hears nothing of this conversation; a manager hears everything', async () => {
    const carol = await addAgent(world, { skills: ['sales'], online: true });
    const dave = await addAgent(world, { skills: ['billing'], online: true });
    const manager = await addAgent(world, { skills: [], profile: 'manager' });
    const lastEventId = await currentEventId();
    await inboundSms(world, { from: newConsumer(), body: 'for sales' });
    const forCarol = await readEvents(world, carol.token, { lastEventId, until: (events) => types(events).includes('conversation.assigned') });
    const conversationId = forCarol.find((event) => event.type === 'conversation.assigned')!.data.conversationId;
    const forManager = await readEvents(world, manager.token, { lastEventId, until: (events) => events.some((e) => e.data.conversationId === conversationId && e.type === 'conversation.assigned') });
    expect(forManager.some((event) => event.data.conversationId === conversationId)).toBe(true);
    const forDave = await readEvents(world, dave.token, { lastEventId, until: () => false, timeoutMs: 1_500 });
    expect(forDave.filter((event) => event.data.conversationId === conversationId)).toEqual([]);
    await Promise.all([setAvailability(world, carol, 'offline'), setAvailability(world, dave, 'offline')]);
  });

  it('refuse a stream without a valid session', async () => {
    const response = await fetch(`${world.system.url}/api/v1/events`, { headers: { authorization: 'Bearer sbs_nope' } });
    expect(response.status).toBe(401);
  });
});

describe('live events and sessions', () => {
  it('end the stream once the session is revoked (sign-out elsewhere)', async () => {
    const erin = await addAgent(world, { skills: ['sales'] });
    const started = Date.now();
    const stream = readEvents(world, erin.token, { until: (events) => types(events).includes('session.ended'), timeoutMs: 25_000 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await call(world, 'POST', '/api/v1/auth/logout', erin.token)).status).toBe(204);
    expect(types(await stream)).toContain('session.ended');
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 30_000);
});
