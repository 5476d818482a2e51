import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startConnectorWorld, type ConnectorWorld } from '../../support/connectors.js';
import { startOtherBrand } from '../../support/isolation.js';
import { conversationWithAgent } from '../../support/secure-forms.js';
import { addAgent, setAvailability, type Agent } from '../../support/workspace.js';

/**
 * GET /api/v1/agents is the transfer picker of agents, who cannot list users (users.manage). Agents made
 * online here work queue "billing" only, so the router never hands them the conversations other tests
 * wait for in "sales".
 */
let world: ConnectorWorld;
let admin: Agent;
beforeAll(async () => {
  world = await startConnectorWorld();
  admin = await addAgent(world, { profile: 'admin', skills: [] });
}, 60_000);
afterAll(() => world?.stop());

interface AgentView { id: string; name: string; availability: string; queues: string[]; maxConcurrent: number; activeConversations: number }
const agentsSeenBy = async (token: string) => {
  const response = await call(world, 'GET', '/api/v1/agents', token);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.items as AgentView[];
};
const idsSeenBy = async (token: string) => (await agentsSeenBy(token)).map((agent) => agent.id);

/** A user of the world's brand with a custom profile granting exactly `permissions`. */
async function withCustomProfile(permissions: string[]): Promise<Agent> {
  const name = `custom-${randomBytes(3).toString('hex')}`;
  const profile = await call(world, 'POST', '/api/v1/profiles', admin.token, { name, role: 'agent', permissions });
  expect(profile.status, JSON.stringify(profile.body)).toBe(201);
  return addAgent(world, { profile: `custom:${name}`, skills: ['billing'] });
}

describe('GET /api/v1/agents: whom a conversation can be handed to', () => {
  it('shows an agent their colleagues with availability, queues, capacity and load, and nothing else about them', async () => {
    const me = await addAgent(world, { skills: ['billing'] });
    const online = await addAgent(world, { skills: ['billing', 'vip'], maxConcurrent: 5, online: true });
    const away = await addAgent(world, { skills: ['billing'] });
    await setAvailability(world, away, 'away');
    const offline = await addAgent(world, { skills: [] });

    const seen = await agentsSeenBy(me.token);
    const byId = new Map(seen.map((agent) => [agent.id, agent]));
    expect(byId.get(online.id)).toEqual({ id: online.id, name: expect.stringMatching(/^Agent \d+$/), availability: 'online', queues: ['billing', 'vip'], maxConcurrent: 5, activeConversations: 0 });
    expect(byId.get(away.id)).toMatchObject({ availability: 'away', queues: ['billing'] });
    expect(byId.get(offline.id)).toMatchObject({ availability: 'offline', queues: [] });
    expect(byId.get(me.id)).toBeDefined();
    expect(JSON.stringify(seen)).not.toMatch(/@example\.com|passwordHash|lockedAt|email/);
    await setAvailability(world, online, 'offline');
  });

  it('lists agents by name', async () => {
    const names = (await agentsSeenBy(admin.token)).map((agent) => agent.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });

  it('leaves out disabled users', async () => {
    const leaving = await addAgent(world, { skills: ['billing'] });
    expect(await idsSeenBy(admin.token)).toContain(leaving.id);
    const disabled = await call(world, 'PATCH', `/api/v1/users/${leaving.id}`, admin.token, { status: 'disabled' });
    expect(disabled.status, JSON.stringify(disabled.body)).toBe(200);
    expect(await idsSeenBy(admin.token)).not.toContain(leaving.id);
  });

  it('leaves out users whose profile does not let them take conversations', async () => {
    const taker = await withCustomProfile(['conversation.view', 'conversation.accept']);
    const watcher = await withCustomProfile(['conversation.view', 'reports.view']);
    const ids = await idsSeenBy(admin.token);
    expect(ids).toContain(taker.id);
    expect(ids).not.toContain(watcher.id);
  });

  it('leaves out the users of another brand, and shows that brand only its own', async () => {
    const b = await startOtherBrand(world, `+1415557${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`);
    const ours = await idsSeenBy(world.apiToken);
    expect(ours).toContain(admin.id);
    expect(ours).not.toContain(b.admin.id);
    expect(ours).not.toContain(b.user.id);
    expect(await idsSeenBy(b.admin.token)).toEqual([b.admin.id]);
  });

  it('refuses a principal without conversation.transfer: 403 permission_denied', async () => {
    const cannotTransfer = await withCustomProfile(['conversation.view', 'conversation.accept', 'conversation.reply']);
    const refused = await call(world, 'GET', '/api/v1/agents', cannotTransfer.token);
    expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 403, code: 'permission_denied' });
  });

  it('counts the open conversations each agent holds, down again once one is closed', async () => {
    const { agent, conversationId } = await conversationWithAgent(world);
    const loadOf = async () => (await agentsSeenBy(world.apiToken)).find((seen) => seen.id === agent.id)?.activeConversations;
    await expect.poll(loadOf, { timeout: 15_000 }).toBe(1);
    expect((await call(world, 'POST', `/api/v1/conversations/${conversationId}/close`, agent.token, {})).status).toBe(200);
    await expect.poll(loadOf, { timeout: 15_000 }).toBe(0);
  });
});
