import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type RunningSystem } from '../../runtime/system.js';
import { call, startConnectorWorld, type ConnectorWorld } from '../support/connectors.js';
import { conversationWithAgent, hiddenKey, linkSentTo, openFormLink, postForm } from '../support/secure-forms.js';
import type { Agent } from '../support/workspace.js';

// Replica A (with the world's worker) takes a submission; replica B (API only) would ask A through a workflow.
let world: ConnectorWorld;
let replicaB: RunningSystem;
let agent: Agent;
let formId: string;

beforeAll(async () => {
  world = await startConnectorWorld();
  replicaB = await startSystem({ settings: world.system.settings, logger: world.system.logs.logger, run: { api: true, worker: false }, apiPort: 0 });
  const withAgent = await conversationWithAgent(world);
  agent = withAgent.agent;
  const sent = await call(world, 'POST', `/api/v1/conversations/${withAgent.conversationId}/forms`, agent.token, { templateId: 'card-payment' });
  formId = sent.body.formId as string;
  const page = await (await openFormLink(world, await linkSentTo(world, withAgent.consumer))).text();
  const submitted = await postForm(world, formId, { key: hiddenKey(page), nameOnCard: 'No Workers', cardNumber: '4111111111111111', expiry: '12/39', cvv: '468' });
  if (submitted.status !== 200) throw new Error(`the form was not submitted: ${submitted.status}`);
  await world.system.worker!.shutdown();
}, 120_000);

afterAll(async () => {
  await replicaB?.stop();
  await world?.stop();
});

const revealThrough = async (url: string) => {
  const via = { system: { ...world.system, url } };
  const issued = await call(via, 'POST', `/api/v1/forms/${formId}/reveal-key`, agent.token);
  expect(issued.status, JSON.stringify(issued.body)).toBe(201);
  return call(via, 'POST', `/api/v1/forms/${formId}/reveal`, agent.token, { key: issued.body.key });
};

describe('off-the-record answers while no worker runs', () => {
  it('are revealed through the replica holding them, CVV included', async () => {
    const revealed = await revealThrough(world.system.url);
    expect(revealed.status, JSON.stringify(revealed.body)).toBe(200);
    expect((revealed.body.fields as { name: string; value: string }[]).find((field) => field.name === 'cvv')?.value).toBe('468');
  });

  it('answer 503 off_record_unreachable through another replica, which cannot ask the holder', async () => {
    const revealed = await revealThrough(replicaB.api!.url);
    expect(revealed.status, JSON.stringify(revealed.body)).toBe(503);
    expect(revealed.body.error).toMatchObject({ code: 'off_record_unreachable', message: expect.stringMatching(/try again/) });
    // Nothing was lost meanwhile: the holder still has them.
    expect(world.system.services.offRecord.store.get(formId)).toEqual({ cvv: '468' });
  }, 60_000);
});
