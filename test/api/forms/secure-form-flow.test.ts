import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BSON } from 'mongodb';
import protoModule from '@temporalio/proto';
import { call, startConnectorWorld, type ConnectorWorld } from '../../support/connectors.js';
import { addAgent } from '../../support/workspace.js';
import { conversationWithAgent, hiddenKey, linkSentTo, openFormLink, postForm } from '../../support/secure-forms.js';

let world: ConnectorWorld;
beforeAll(async () => {
  world = await startConnectorWorld({ env: { OFF_RECORD_TTL_SECONDS: '4' } });
}, 60_000);
afterAll(() => world?.stop());

// Letters between the digits: a long digit run could be a Luhn-valid "card number" and get masked.
const canary = `CANARY-${randomBytes(6).toString('hex')}`;
const card = '4111111111111111';
const cvv = '987';

describe('a secure form over SMS', () => {
  let agentToken = '';
  let conversationId = '';
  let formId = '';
  let consumer = '';

  it('is sent by the agent as a one-time link into the conversation', async () => {
    const setup = await conversationWithAgent(world);
    ({ conversationId, consumer } = setup);
    agentToken = setup.agent.token;
    const sent = await call(world, 'POST', `/api/v1/conversations/${conversationId}/forms`, agentToken, { templateId: 'card-payment' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    formId = sent.body.formId;
    expect(await linkSentTo(world, consumer)).toMatch(/^\/forms\/[A-Za-z0-9_-]{43}$/);
  });

  it('opens once, by the POST of its "open" page: after that the link says it can no longer be used', async () => {
    const link = await linkSentTo(world, consumer);
    const opened = await openFormLink(world, link);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('cache-control')).toBe('no-store');
    expect(opened.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(opened.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await opened.text();
    expect(html).toContain('name="cardNumber"');
    expect((await fetch(`${world.system.url}${link}`)).status).toBe(410);
    expect((await openFormLink(world, link)).status).toBe(410);
    // The page's submit key was fresh and is still good; keep it for the next test through a reopen-free path.
    (globalThis as Record<string, unknown>).submitKey = hiddenKey(html);
  });

  it('re-renders with clear messages and a new key for wrong input, storing nothing', async () => {
    const key = (globalThis as Record<string, unknown>).submitKey as string;
    const wrong = await postForm(world, formId, { key, nameOnCard: canary, cardNumber: '4111111111111112', expiry: '13/99', cvv: '1' });
    expect(wrong.status).toBe(422);
    const html = await wrong.text();
    expect(html).toMatch(/aria-invalid="true"/);
    expect(html).not.toContain('4111111111111112');
    expect((await postForm(world, formId, { key, nameOnCard: 'x', cardNumber: card, expiry: '12/39', cvv })).status).toBe(410);
    (globalThis as Record<string, unknown>).submitKey = hiddenKey(html);
    const vault = await world.system.services.database.client.db(world.system.settings.mongo.vaultDbName).collection('vault_records').countDocuments({ formId });
    expect(vault).toBe(0);
  });

  it('is submitted: the transcript says so without values, and the agent is told the form is in', async () => {
    const key = (globalThis as Record<string, unknown>).submitKey as string;
    const done = await postForm(world, formId, { key, nameOnCard: `${canary} Holder`, cardNumber: card, expiry: '12/39', cvv });
    expect(done.status).toBe(200);
    // "Thank you" means recorded: the agent's next read shows it.
    expect((await call(world, 'GET', `/api/v1/forms/${formId}`, agentToken)).body.status).toBe('submitted');
    await expect
      .poll(async () => ((await call(world, 'GET', `/api/v1/conversations/${conversationId}/messages?limit=200`, agentToken)).body.items as { kind: string; text?: string }[])
        .filter((m) => m.kind === 'secure_form').map((m) => m.text), { timeout: 15_000 })
      .toEqual(['Secure form “Pay by card” submitted']);
    const transcript = JSON.stringify((await call(world, 'GET', `/api/v1/conversations/${conversationId}/messages?limit=200`, agentToken)).body);
    expect(transcript).toContain('/forms/[one-time link]');
    expect(transcript).not.toContain(canary);
  });

  it('is revealed once to the agent who sent it, CVV included', async () => {
    const issued = await call(world, 'POST', `/api/v1/forms/${formId}/reveal-key`, agentToken);
    expect(issued.status).toBe(201);
    const revealed = await call(world, 'POST', `/api/v1/forms/${formId}/reveal`, agentToken, { key: issued.body.key });
    expect(revealed.status, JSON.stringify(revealed.body)).toBe(200);
    const values = Object.fromEntries((revealed.body.fields as { name: string; value: string }[]).map((f) => [f.name, f.value]));
    expect(values).toEqual({ nameOnCard: `${canary} Holder`, cardNumber: card, expiry: '12/39', cvv });
    expect((revealed.body.fields as { name: string; display: string }[]).find((f) => f.name === 'cardNumber')!.display).toMatch(/1111$/);
    const again = await call(world, 'POST', `/api/v1/forms/${formId}/reveal`, agentToken, { key: issued.body.key });
    expect(again.status).toBe(403);
  });

  it('refuses other agents, managers without the history permission, and keys of another action', async () => {
    const other = await addAgent(world, { skills: ['sales'] });
    expect((await call(world, 'POST', `/api/v1/forms/${formId}/reveal-key`, other.token)).status).toBe(403);
    const manager = await addAgent(world, { profile: 'manager', skills: [] });
    expect((await call(world, 'POST', `/api/v1/forms/${formId}/reveal-key`, manager.token)).status).toBe(403);
    const submitKeyAsReveal = await call(world, 'POST', `/api/v1/forms/${formId}/reveal`, agentToken, { key: (globalThis as Record<string, unknown>).submitKey as string });
    expect(submitKeyAsReveal.status).toBe(403);
  });

  it('answers 410 for the CVV once the off-the-record timer fired', async () => {
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    const issued = await call(world, 'POST', `/api/v1/forms/${formId}/reveal-key`, agentToken);
    const late = await call(world, 'POST', `/api/v1/forms/${formId}/reveal`, agentToken, { key: issued.body.key });
    expect(late.status).toBe(410);
    expect(late.body.error).toMatchObject({ code: 'off_record_expired', message: expect.stringMatching(/resend the form/) });
    expect(world.system.services.offRecord.store.size).toBe(0);
  });

  it('leaves no plaintext value anywhere: databases, vault (CVV not even encrypted), Temporal histories, logs', async () => {
    const needles = [canary, card, '4111 1111', `cvv":"${cvv}`];
    const { client: mongo } = world.system.services.database;
    for (const dbName of [world.system.settings.mongo.dbName, world.system.settings.mongo.vaultDbName]) {
      const db = mongo.db(dbName);
      for (const { name } of await db.listCollections().toArray()) {
        const bytes = (await db.collection(name).find({}).toArray()).map((doc) => Buffer.from(BSON.serialize(doc)).toString('latin1')).join('\n');
        for (const needle of needles) expect(bytes, `${dbName}.${name}: ${needle}`).not.toContain(needle);
      }
    }
    const vaultDoc = await mongo.db(world.system.settings.mongo.vaultDbName).collection('vault_records').findOne({ formId });
    expect(Object.keys(vaultDoc!.fields).sort()).toEqual(['cardNumber', 'expiry', 'nameOnCard']);
    const { connection } = world.system.services.temporal;
    const query = `TaskQueue = '${world.system.settings.temporal.taskQueue}'`;
    let histories = 0;
    for await (const run of world.system.services.temporal.client.workflow.list({ query })) {
      const { history } = await connection.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: run.workflowId, runId: run.runId } });
      const raw = Buffer.from(protoModule.temporal.api.history.v1.History.encode(history!).finish()).toString('latin1');
      for (const needle of needles) expect(raw, `${run.workflowId}: ${needle}`).not.toContain(needle);
      histories++;
    }
    expect(histories).toBeGreaterThan(2);
    const logs = world.system.logs.text();
    for (const needle of needles) expect(logs).not.toContain(needle);
  });
});
