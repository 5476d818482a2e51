import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routerStateQuery, routerWorkflowId } from '../../../workflows/routing/definitions.js';
import { call, inboundSms, startConnectorWorld, type ConnectorWorld } from '../../support/connectors.js';
import { addAgent, setAvailability } from '../../support/workspace.js';

let world: ConnectorWorld;
beforeAll(async () => {
  world = await startConnectorWorld({ env: { CONVERSATION_REOPEN_WINDOW_SECONDS: '4' } });
}, 60_000);
afterAll(() => world?.stop());

let phone = 0;
const newConsumer = () => `+1415556${String(1000 + ++phone).padStart(4, '0')}`;
const conversationsOf = async (token: string, view: string) =>
  (await call(world, 'GET', `/api/v1/conversations?view=${view}&status=open&limit=100`, token)).body.items as { id: string; agentId?: string; queueId: string }[];
/** What a person does: see the conversation in their queue, then accept it. */
async function accept(agent: { token: string }, id: string) {
  await expect.poll(async () => (await conversationsOf(agent.token, 'queue')).map((c) => c.id), { timeout: 15_000 }).toContain(id);
  return call(world, 'POST', `/api/v1/conversations/${id}/accept`, agent.token);
}
const routerState = () => world.system.services.temporal.client.workflow.getHandle(routerWorkflowId(world.brandId)).query(routerStateQuery);

/** Sends an SMS and returns its conversation id once it exists (as the integration sees it). */
async function smsConversation(from = newConsumer(), body = 'hello') {
  await inboundSms(world, { from, body });
  let id = '';
  await expect
    .poll(async () => {
      const all = (await call(world, 'GET', '/api/v1/conversations?limit=100', world.apiToken)).body.items as { id: string; consumer: { display: string } }[];
      id = all.find((c) => c.consumer.display.endsWith(from.slice(-4)))?.id ?? '';
      return id;
    }, { timeout: 15_000 })
    .not.toBe('');
  return id;
}

describe('routing', () => {
  it('says since when a conversation waits in its queue, and no longer once an agent has it', async () => {
    const agent = await addAgent(world, { skills: ['sales'] });
    await setAvailability(world, agent, 'away');
    const before = Date.now();
    const id = await smsConversation();
    await expect.poll(async () => (await conversationsOf(agent.token, 'queue')).map((c) => c.id), { timeout: 15_000 }).toContain(id);
    const waiting = (await conversationsOf(agent.token, 'queue')).find((c) => c.id === id) as { waitingSince?: string };
    expect(Date.parse(waiting.waitingSince!)).toBeGreaterThanOrEqual(before - 1_000);
    expect((await accept(agent, id)).status).toBe(200);
    expect((await call(world, 'GET', `/api/v1/conversations/${id}`, agent.token)).body.waitingSince).toBeUndefined();
    await setAvailability(world, agent, 'offline');
  });

  it('assigns a new conversation to the online agent who works its queue', async () => {
    const alice = await addAgent(world, { skills: ['sales'], online: true });
    const id = await smsConversation();
    await expect.poll(async () => (await conversationsOf(alice.token, 'mine')).map((c) => c.id), { timeout: 15_000 }).toContain(id);
    await setAvailability(world, alice, 'offline');
  });

  it('gives concurrent arrivals to the least-loaded agents, never one conversation to two, never beyond their maximum', async () => {
    const agents = await Promise.all([1, 2, 3].map(() => addAgent(world, { skills: ['sales'], maxConcurrent: 2 })));
    await Promise.all(agents.map((agent) => setAvailability(world, agent, 'online')));
    const ids = await Promise.all(Array.from({ length: 8 }, () => smsConversation()));
    const mine = async () => Promise.all(agents.map(async (agent) => (await conversationsOf(agent.token, 'mine')).map((c) => c.id)));
    await expect.poll(async () => (await mine()).map((list) => list.length), { timeout: 20_000 }).toEqual([2, 2, 2]);
    const assigned = (await mine()).flat();
    expect(new Set(assigned).size).toBe(6);
    const state = await routerState();
    const waiting = state.waiting.map((item) => item.conversationId).filter((id) => ids.includes(id));
    expect(waiting).toHaveLength(2);
    expect(waiting.some((id) => assigned.includes(id))).toBe(false);

    // A freed slot goes to the longest-waiting conversation.
    const [first] = (await mine())[0]!;
    expect((await call(world, 'POST', `/api/v1/conversations/${first}/close`, agents[0]!.token, {})).status).toBe(200);
    await expect.poll(async () => (await mine())[0], { timeout: 15_000 }).toContain(waiting[0]);
    await Promise.all(agents.map((agent) => setAvailability(world, agent, 'offline')));
  });

  it('lets exactly one of two agents accepting the same waiting conversation win', async () => {
    const [bob, carol] = await Promise.all([addAgent(world, { skills: ['sales'] }), addAgent(world, { skills: ['sales'] })]);
    await Promise.all([setAvailability(world, bob, 'away'), setAvailability(world, carol, 'away')]);
    const id = await smsConversation();
    await expect.poll(async () => (await conversationsOf(bob.token, 'queue')).map((c) => c.id), { timeout: 15_000 }).toContain(id);
    const results = await Promise.all([bob, carol].map((agent) => call(world, 'POST', `/api/v1/conversations/${id}/accept`, agent.token)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('not_waiting');
  });

  it('lets only the assigned agent reply; others in the queue get 404 once it is taken', async () => {
    const dave = await addAgent(world, { skills: ['sales'] });
    const erin = await addAgent(world, { skills: ['sales'] });
    await setAvailability(world, dave, 'away');
    const id = await smsConversation();
    expect((await call(world, 'POST', `/api/v1/conversations/${id}/replies`, dave.token, { text: 'too early' })).status).toBe(403);
    expect((await accept(dave, id)).status).toBe(200);
    await expect.poll(async () => (await call(world, 'GET', `/api/v1/conversations/${id}`, erin.token)).status, { timeout: 15_000 }).toBe(404);
    expect((await call(world, 'POST', `/api/v1/conversations/${id}/replies`, dave.token, { text: 'on it' })).status).toBe(202);
  });
});

describe('transfer and reopen', () => {
  it('transfers to another agent with an internal note; the first agent loses access', async () => {
    const [frank, grace] = await Promise.all([addAgent(world, { skills: ['sales'] }), addAgent(world, { skills: ['vip'] })]);
    await setAvailability(world, frank, 'away');
    const id = await smsConversation();
    expect((await accept(frank, id)).status).toBe(200);
    const moved = await call(world, 'POST', `/api/v1/conversations/${id}/transfer`, frank.token, { toAgentId: grace.id, note: 'VIP customer, asked for a refund' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ agentId: grace.id });
    await expect.poll(async () => (await conversationsOf(grace.token, 'mine')).map((c) => c.id), { timeout: 15_000 }).toContain(id);
    expect((await call(world, 'GET', `/api/v1/conversations/${id}`, frank.token)).status).toBe(404);
    const notes = (await call(world, 'GET', `/api/v1/conversations/${id}/messages`, grace.token)).body.items.filter((m: { kind: string }) => m.kind === 'note');
    expect(notes).toMatchObject([{ direction: 'internal', text: 'VIP customer, asked for a refund', agentId: frank.id }]);
    const again = await call(world, 'POST', `/api/v1/conversations/${id}/transfer`, grace.token, { toAgentId: grace.id });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('invalid_transfer');
  });

  it('transfers back to a queue, where an online agent with that skill receives it', async () => {
    const heidi = await addAgent(world, { skills: ['sales'] });
    await setAvailability(world, heidi, 'away');
    const id = await smsConversation();
    expect((await accept(heidi, id)).status).toBe(200);
    const ivan = await addAgent(world, { skills: ['billing'], online: true });
    expect((await call(world, 'POST', `/api/v1/conversations/${id}/transfer`, heidi.token, { toQueueId: 'billing' })).status).toBe(200);
    await expect.poll(async () => (await conversationsOf(ivan.token, 'mine')).map((c) => c.id), { timeout: 15_000 }).toContain(id);
    await setAvailability(world, ivan, 'offline');
  });

  it('reopens a closed conversation within the window, and refuses after it', async () => {
    const judy = await addAgent(world, { skills: ['sales'] });
    await setAvailability(world, judy, 'away');
    const [first, second] = [await smsConversation(), await smsConversation()];
    expect((await accept(judy, first)).status).toBe(200);
    expect((await call(world, 'POST', `/api/v1/conversations/${first}/close`, judy.token, {})).status).toBe(200);
    const reopened = await call(world, 'POST', `/api/v1/conversations/${first}/reopen`, judy.token, {});
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ status: 'open', agentId: judy.id });
    await expect.poll(async () => (await call(world, 'GET', `/api/v1/conversations/${first}`, judy.token)).body.status, { timeout: 15_000 }).toBe('open');

    expect((await accept(judy, second)).status).toBe(200);
    expect((await call(world, 'POST', `/api/v1/conversations/${second}/close`, judy.token, {})).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const late = await call(world, 'POST', `/api/v1/conversations/${second}/reopen`, judy.token, {});
    expect(late.status).toBe(409);
  });
});

describe('permissions and audit in the workspace', () => {
  it('refuses a reply to an agent whose custom profile lacks conversation.reply, with 403 permission_denied', async () => {
    const admin = await addAgent(world, { profile: 'admin' });
    const profile = await call(world, 'POST', '/api/v1/profiles', admin.token, { name: 'observer', role: 'agent', permissions: ['conversation.view', 'conversation.accept'] });
    expect(profile.status, JSON.stringify(profile.body)).toBe(201);
    const observer = await addAgent(world, { skills: ['sales'], profile: 'custom:observer' });
    await setAvailability(world, observer, 'away');
    const id = await smsConversation();
    expect((await accept(observer, id)).status).toBe(200);
    const reply = await call(world, 'POST', `/api/v1/conversations/${id}/replies`, observer.token, { text: 'hello' });
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe('permission_denied');
  });

  it('records transfers and closes in the audit log, which managers can query', async () => {
    const [kim, lee] = await Promise.all([addAgent(world, { skills: ['sales'] }), addAgent(world, { skills: ['sales'] })]);
    const manager = await addAgent(world, { profile: 'manager', skills: [] });
    await setAvailability(world, kim, 'away');
    const id = await smsConversation();
    await accept(kim, id);
    await call(world, 'POST', `/api/v1/conversations/${id}/transfer`, kim.token, { toAgentId: lee.id });
    await call(world, 'POST', `/api/v1/conversations/${id}/close`, lee.token, { reason: 'resolved' });
    await expect
      .poll(async () => ((await call(world, 'GET', `/api/v1/audit?targetId=${id}`, manager.token)).body.items as { action: string }[]).map((entry) => entry.action).sort(), { timeout: 15_000 })
      .toEqual(['conversation.assigned', 'conversation.closed', 'conversation.transferred']);
    expect((await call(world, 'GET', '/api/v1/audit', kim.token)).status).toBe(403);
  });

  it('shows managers each queue with its entry points, agents and waiting conversations', async () => {
    const manager = await addAgent(world, { profile: 'manager', skills: [] });
    const queues = await call(world, 'GET', '/api/v1/queues', manager.token);
    expect(queues.status).toBe(200);
    const sales = queues.body.items.find((queue: { queueId: string }) => queue.queueId === 'sales');
    expect(sales).toMatchObject({ entryPoints: ['twilio:+14155550100'], agents: expect.objectContaining({ total: expect.any(Number) }) });
    expect(queues.body.items.find((queue: { queueId: string }) => queue.queueId === 'support')).toMatchObject({ entryPoints: [`facebook:${'1029384756'}`] });
  });
});
