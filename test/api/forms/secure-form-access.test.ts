import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startWorker } from '../../../workers/worker.js';
import { secureFormStateQuery, secureFormWorkflowId } from '../../../workflows/secure-form/definitions.js';
import { call, messengerBatch, messengerText, postFacebookWebhook, startConnectorWorld, type ConnectorWorld } from '../../support/connectors.js';
import { conversationWithAgent, hiddenKey, linkSentTo, openFormLink, postForm } from '../../support/secure-forms.js';
import { testAdminToken } from '../../support/settings.js';
import { addAgent, readEvents, setAvailability } from '../../support/workspace.js';

let world: ConnectorWorld;
beforeAll(async () => {
  world = await startConnectorWorld({ env: { OFF_RECORD_TTL_SECONDS: '30' } });
}, 60_000);
afterAll(() => world?.stop());

const canary = () => `CANARY${randomBytes(6).toString('hex')}`;

/** Sends the card form in a fresh SMS conversation and fills it in as the visitor. */
async function submittedForm(values: { nameOnCard: string }) {
  const setup = await conversationWithAgent(world);
  const sent = await call(world, 'POST', `/api/v1/conversations/${setup.conversationId}/forms`, setup.agent.token, { templateId: 'card-payment' });
  const page = await (await openFormLink(world, await linkSentTo(world, setup.consumer))).text();
  const done = await postForm(world, sent.body.formId, { key: hiddenKey(page), nameOnCard: values.nameOnCard, cardNumber: '5555555555554444', expiry: '11/38', cvv: '4321' });
  expect(done.status).toBe(200);
  expect((await call(world, 'GET', `/api/v1/forms/${sent.body.formId}`, setup.agent.token)).body.status).toBe('submitted');
  return { ...setup, formId: sent.body.formId as string };
}

async function reveal(token: string, formId: string) {
  const issued = await call(world, 'POST', `/api/v1/forms/${formId}/reveal-key`, token);
  if (issued.status !== 201) return issued;
  return call(world, 'POST', `/api/v1/forms/${formId}/reveal`, token, { key: issued.body.key });
}

describe('secure forms: who may see the values', () => {
  it('are sent over Messenger too, as a one-time link inside the messaging window', async () => {
    const agent = await addAgent(world, { skills: ['support'] });
    await setAvailability(world, agent, 'away');
    const psid = String(BigInt(`0x${randomBytes(6).toString('hex')}`));
    await postFacebookWebhook(world, messengerBatch([messengerText(psid, 'can I pay here?')]));
    let conversationId = '';
    await expect.poll(async () => {
      const queue = (await call(world, 'GET', '/api/v1/conversations?view=queue', agent.token)).body.items as { id: string; channel: string }[];
      conversationId = queue.find((c) => c.channel === 'messenger')?.id ?? '';
      return conversationId;
    }, { timeout: 15_000 }).not.toBe('');
    expect((await call(world, 'POST', `/api/v1/conversations/${conversationId}/accept`, agent.token)).status).toBe(200);
    const sent = await call(world, 'POST', `/api/v1/conversations/${conversationId}/forms`, agent.token, { templateId: 'identity-check' });
    expect(sent.status).toBe(201);
    await expect.poll(() => world.facebook.sent.filter((m) => m.recipientId === psid).map((m) => /\/forms\/[A-Za-z0-9_-]{43}/.test(m.text ?? '')), { timeout: 15_000 }).toEqual([true]);
    await setAvailability(world, agent, 'offline');
  });

  it('are not shown to an agent the conversation was transferred to', async () => {
    const form = await submittedForm({ nameOnCard: canary() });
    const next = await addAgent(world, { skills: ['sales'] });
    expect((await call(world, 'POST', `/api/v1/conversations/${form.conversationId}/transfer`, form.agent.token, { toAgentId: next.id })).status).toBe(200);
    const attempt = await reveal(next.token, form.formId);
    expect(attempt.status).toBe(403);
    expect(attempt.body.error.code).toBe('not_form_sender');
  });

  it('after the conversation closed: not to the sender; on-record values only to a manager with secureForm.viewInHistory, audited', async () => {
    const name = canary();
    const form = await submittedForm({ nameOnCard: name });
    expect(world.system.services.offRecord.store.get(form.formId)).toBeDefined();
    expect((await call(world, 'POST', `/api/v1/conversations/${form.conversationId}/close`, form.agent.token, {})).status).toBe(200);
    // Closing the form (with its conversation) erases the off-the-record answers at once, timer or not.
    expect(world.system.services.offRecord.store.get(form.formId)).toBeUndefined();
    await expect.poll(async () => (await call(world, 'GET', `/api/v1/conversations/${form.conversationId}`, world.apiToken)).body.status, { timeout: 15_000 }).toBe('closed');
    expect((await reveal(form.agent.token, form.formId)).body.error.code).toBe('conversation_closed');

    // secureForm.viewInHistory: granted per user, through the platform admin API only.
    const auditor = await addAgent(world, { profile: 'manager' });
    expect((await call(world, 'PUT', `/api/v1/admin/brands/${world.brandId}/users/${auditor.id}/permissions/secureForm.viewInHistory`, testAdminToken)).status).toBe(200);
    const plainManager = await addAgent(world, { profile: 'manager' });
    expect((await reveal(plainManager.token, form.formId)).status).toBe(403);
    const seen = await reveal(auditor.token, form.formId);
    expect(seen.status, JSON.stringify(seen.body)).toBe(200);
    expect(Object.fromEntries((seen.body.fields as { name: string; value: string }[]).map((f) => [f.name, f.value]))).toEqual({ nameOnCard: name, cardNumber: '5555555555554444', expiry: '11/38' });
    const audit = (await call(world, 'GET', `/api/v1/audit?targetId=${form.formId}`, auditor.token)).body.items as { action: string; actor: { id?: string } }[];
    expect(audit.filter((entry) => entry.action === 'form.revealed').map((entry) => entry.actor.id)).toEqual([auditor.id]);
  });

  it('tells the sending agent over SSE, with no value in the stream', async () => {
    const name = canary();
    const setup = await conversationWithAgent(world);
    const stream = readEvents(world, setup.agent.token, { until: (events) => events.some((event) => event.type === 'form.submitted'), timeoutMs: 20_000 });
    const sent = await call(world, 'POST', `/api/v1/conversations/${setup.conversationId}/forms`, setup.agent.token, { templateId: 'card-payment' });
    const page = await (await openFormLink(world, await linkSentTo(world, setup.consumer))).text();
    await postForm(world, sent.body.formId, { key: hiddenKey(page), nameOnCard: name, cardNumber: '4111111111111111', expiry: '10/37', cvv: '555' });
    const events = await stream;
    expect(events.find((event) => event.type === 'form.submitted')?.data).toMatchObject({ formId: sent.body.formId });
    const text = JSON.stringify(events);
    for (const needle of [name, '4111111111111111', '555"']) expect(text).not.toContain(needle);
  });

  it('survive a worker restart in the middle of the flow: the visitor waits for it, then the agent reads the submission at once', async () => {
    const setup = await conversationWithAgent(world);
    const sent = await call(world, 'POST', `/api/v1/conversations/${setup.conversationId}/forms`, setup.agent.token, { templateId: 'card-payment' });
    const link = await linkSentTo(world, setup.consumer);
    await world.system.worker!.shutdown();
    // Nothing can record the opening without a worker, so the visitor's page is not answered yet.
    const opening = openFormLink(world, link);
    const early = await Promise.race([opening.then(() => 'answered'), new Promise((resolve) => setTimeout(() => resolve('still waiting'), 1_000))]);
    expect(early).toBe('still waiting');
    const restarted = await startWorker(world.system.services, { workflowBundlePath: inject('workflowBundlePath') });
    try {
      const page = await opening;
      expect(page.status).toBe(200);
      const done = await postForm(world, sent.body.formId, { key: hiddenKey(await page.text()), nameOnCard: canary(), cardNumber: '4111111111111111', expiry: '10/37', cvv: '555' });
      expect(done.status).toBe(200);
      const handle = world.system.services.temporal.client.workflow.getHandle(secureFormWorkflowId(sent.body.formId));
      expect((await handle.query(secureFormStateQuery)).status).toBe('submitted');
      expect((await reveal(setup.agent.token, sent.body.formId)).status).toBe(200);
    } finally {
      await restarted.shutdown();
    }
  }, 90_000);
});
