import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTenant } from '../../support/accounts.js';
import { call, inboundSms, startConnectorWorld, transcript, type ConnectorWorld } from '../../support/connectors.js';
import { testAdminToken } from '../../support/settings.js';
import { waitFor } from '../../support/wait-for.js';
import { addAgent, type Agent } from '../../support/workspace.js';

let world: ConnectorWorld;
let agent: Agent;
let conversationId: string;
beforeAll(async () => {
  world = await startConnectorWorld();
  // An away agent of the queue: the router assigns nothing, so only the integration acts here.
  agent = await addAgent(world, { skills: ['sales'] });
  expect((await inboundSms(world, { from: '+14155550912', body: 'hello' })).status).toBe(200);
  const listed = await waitFor(async () => (await call(world, 'GET', '/api/v1/conversations', world.apiToken)).body.items as { id: string }[], (items) => items.length === 1);
  conversationId = listed[0]!.id;
}, 90_000);
afterAll(() => world?.stop());

const asIntegration = (action: string, body: Record<string, unknown>) => call(world, 'POST', `/api/v1/conversations/${conversationId}/${action}`, world.apiToken, body);
const refusedAs = (response: { status: number; body: { error?: { code: string; details?: { path: string }[] } } }) =>
  [response.status, response.body.error?.code, response.body.error?.details?.[0]?.path];

describe('the agent a brand API token names when it acts', () => {
  it('must exist: a phantom agentId answers 400 unknown_agent and nothing is sent', async () => {
    const before = (await transcript(world, conversationId)).length;
    const reply = await asIntegration('replies', { text: 'from nobody', agentId: 'phantom-agent' });
    expect(refusedAs(reply)).toEqual([400, 'unknown_agent', 'agentId']);
    expect((await transcript(world, conversationId)).length).toBe(before);
  });

  it('must be active: a disabled user answers 400 unknown_agent', async () => {
    const gone = await addAgent(world, { skills: ['sales'] });
    expect((await call(world, 'PATCH', `/api/v1/users/${gone.id}`, (await addAgent(world, { profile: 'admin' })).token, { status: 'disabled' })).status).toBe(200);
    expect(refusedAs(await asIntegration('replies', { text: 'from a disabled agent', agentId: gone.id }))).toEqual([400, 'unknown_agent', 'agentId']);
  });

  it('must belong to the same brand', async () => {
    const other = await newTenant(world.system);
    expect(refusedAs(await asIntegration('replies', { text: 'from another brand', agentId: other.admin.id }))).toEqual([400, 'unknown_agent', 'agentId']);
  });

  it('is refused on close too, which leaves the conversation open', async () => {
    expect(refusedAs(await asIntegration('close', { reason: 'phantom', agentId: 'phantom-agent' }))).toEqual([400, 'unknown_agent', 'agentId']);
    expect((await call(world, 'GET', `/api/v1/conversations/${conversationId}`, world.apiToken)).body.status).toBe('open');
  });

  it('is recorded when it names an active agent of the brand', async () => {
    const reply = await asIntegration('replies', { text: 'from a real agent', agentId: agent.id });
    expect(reply.status, JSON.stringify(reply.body)).toBe(202);
    await expect.poll(async () => (await transcript(world, conversationId)).find((message) => message.id === reply.body.messageId), { timeout: 15_000 })
      .toMatchObject({ agentId: agent.id });
  });

  it('is documented on the routes that take it', async () => {
    const document = (await call(world, 'GET', '/openapi.json', testAdminToken)).body;
    expect(document.paths['/api/v1/conversations/{conversationId}/replies'].post.responses['400']).toBeDefined();
  });
});
