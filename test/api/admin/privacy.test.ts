import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BSON } from 'mongodb';
import { call, inboundSms, startConnectorWorld, transcript, type ConnectorWorld } from '../../support/connectors.js';
import { hiddenKey, linkSentTo, openFormLink, postForm } from '../../support/secure-forms.js';
import { testAdminToken } from '../../support/settings.js';
import { addAgent, setAvailability } from '../../support/workspace.js';

let world: ConnectorWorld;
const consumer = '+14155550777';
const bystander = '+14155550778';
// Letters between the digits: a long digit run could be a Luhn-valid "card number" and get masked.
const canary = `CANARY-${randomBytes(6).toString('hex')}`;
let conversationId = '';

beforeAll(async () => {
  world = await startConnectorWorld();
  const agent = await addAgent(world, { skills: ['sales'] });
  await setAvailability(world, agent, 'away');
  await inboundSms(world, { from: consumer, body: `${canary} first message` });
  await inboundSms(world, { from: bystander, body: 'someone else entirely' });
  const deadline = Date.now() + 15_000;
  while (!conversationId && Date.now() < deadline) {
    const queue = (await call(world, 'GET', '/api/v1/conversations?view=queue', agent.token)).body.items as { id: string; consumer: { display: string } }[];
    conversationId = queue.find((c) => c.consumer.display.endsWith(consumer.slice(-4)))?.id ?? '';
    if (!conversationId) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await call(world, 'POST', `/api/v1/conversations/${conversationId}/accept`, agent.token);
  const sent = await call(world, 'POST', `/api/v1/conversations/${conversationId}/forms`, agent.token, { templateId: 'card-payment' });
  const page = await (await openFormLink(world, await linkSentTo(world, consumer))).text();
  await postForm(world, sent.body.formId, { key: hiddenKey(page), nameOnCard: `${canary} Holder`, cardNumber: '4111111111111111', expiry: '12/39', cvv: '123' });
  await inboundSms(world, { from: consumer, body: 'STOP' });
  const until = Date.now() + 15_000;
  // STOP is recorded in the transcript first, then as an opt-out: wait for both.
  const optedOut = () => world.system.services.database.db.collection('opt_outs').countDocuments({ brandId: world.brandId, optedOut: true });
  while (Date.now() < until && ((await transcript(world, conversationId)).length < 4 || (await optedOut()) === 0)) await new Promise((resolve) => setTimeout(resolve, 200));
}, 90_000);
afterAll(() => world?.stop());

const admin = (path: string, body: unknown) => call(world, 'POST', `/api/v1/admin/brands/${world.brandId}/privacy/${path}`, testAdminToken, body);

describe('privacy requests', () => {
  it('export everything held about one consumer, with form metadata but no form values', async () => {
    const exported = await admin('export', { channel: 'sms', address: consumer });
    expect(exported.status).toBe(200);
    const text = JSON.stringify(exported.body);
    expect(text).toContain(`${canary} first message`);
    expect(text).not.toContain(`${canary} Holder`);
    expect(text).not.toContain('someone else entirely');
    expect(exported.body.secureForms).toEqual([expect.objectContaining({ title: 'Pay by card', status: 'submitted' })]);
    expect(exported.body.optOuts).toEqual([expect.objectContaining({ optedOut: true })]);
  });

  it('erase one consumer so their canary is found nowhere — databases, Temporal, logs — and keep the opt-out itself', async () => {
    const workflowId = (await world.system.services.database.db.collection('conversations').findOne({ _id: conversationId as never }))!.workflowId as string;
    const erased = await admin('erasure', { channel: 'sms', address: consumer });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(erased.body.conversations).toBe(1);
    expect(erased.body.workflowExecutions).toBeGreaterThanOrEqual(2);

    const { client: mongo } = world.system.services.database;
    for (const dbName of [world.system.settings.mongo.dbName, world.system.settings.mongo.vaultDbName]) {
      const db = mongo.db(dbName);
      for (const { name } of await db.listCollections().toArray()) {
        const bytes = (await db.collection(name).find({}).toArray()).map((doc) => Buffer.from(BSON.serialize(doc)).toString('latin1')).join('\n');
        expect(bytes, `${dbName}.${name}`).not.toContain(canary);
      }
    }
    const { connection, client } = world.system.services.temporal;
    for await (const run of client.workflow.list({ query: `TaskQueue = '${world.system.settings.temporal.taskQueue}'` })) {
      const { history } = await connection.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: run.workflowId, runId: run.runId } });
      expect(JSON.stringify(history), run.workflowId).not.toContain(canary);
      expect(run.workflowId).not.toContain(conversationId);
    }
    // Their executions are gone from Temporal (history and visibility), not merely unreadable.
    await expect
      .poll(() => client.workflow.getHandle(workflowId).describe().then(() => 'found', (error: Error) => error.name), { timeout: 15_000 })
      .toBe('WorkflowNotFoundError');
    expect(world.system.logs.text()).not.toContain(canary);
    const optOut = await world.system.services.database.db.collection('opt_outs').findOne({ brandId: world.brandId });
    expect(optOut).toMatchObject({ optedOut: true, history: [] });
    expect((await admin('export', { channel: 'sms', address: bystander })).body.conversations).toHaveLength(1);
  });

  it('are audited without the erased data', async () => {
    const boss = await addAgent(world, { profile: 'admin' });
    const audit = (await call(world, 'GET', '/api/v1/audit?action=privacy.erased', boss.token)).body.items as unknown[];
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(consumer.slice(2));
  });
});
