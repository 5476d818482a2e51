import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startConnectorWorld, type ConnectorWorld } from '../../support/connectors.js';
import { startOtherBrand } from '../../support/isolation.js';
import { conversationWithAgent, hiddenKey, linksSentTo, openFormLink, postForm } from '../../support/secure-forms.js';
import { testAdminToken } from '../../support/settings.js';
import { addAgent } from '../../support/workspace.js';

/**
 * GET /api/v1/conversations/:conversationId/forms: what a console shows again after a page reload, each form
 * sent in the conversation with its progress, to whoever GET /api/v1/forms/:formId shows it to.
 */
let world: ConnectorWorld;
beforeAll(async () => {
  world = await startConnectorWorld({ env: { OFF_RECORD_TTL_SECONDS: '8' } });
}, 60_000);
afterAll(() => world?.stop());

// Letters between the digits: a long digit run could be a Luhn-valid "card number" and get masked.
const canary = () => `CANARY-${randomBytes(6).toString('hex')}`;

interface FormStatus { formId: string; status: string; offRecordExpired?: boolean; [field: string]: unknown }
const formsPath = (conversationId: string) => `/api/v1/conversations/${encodeURIComponent(conversationId)}/forms`;
const formsSeenBy = async (token: string, conversationId: string) => {
  const response = await call(world, 'GET', formsPath(conversationId), token);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.items as FormStatus[];
};

/** A conversation where its agent sent the card form and the visitor submitted it (cvv is off the record). */
async function submittedCardForm(nameOnCard = canary()) {
  const setup = await conversationWithAgent(world);
  const sent = await call(world, 'POST', formsPath(setup.conversationId), setup.agent.token, { templateId: 'card-payment' });
  expect(sent.status, JSON.stringify(sent.body)).toBe(201);
  const [link] = await linksSentTo(world, setup.consumer, 1);
  const page = await (await openFormLink(world, link!)).text();
  const done = await postForm(world, sent.body.formId, { key: hiddenKey(page), nameOnCard, cardNumber: '5555555555554444', expiry: '11/38', cvv: '4321' });
  expect(done.status).toBe(200);
  return { ...setup, formId: sent.body.formId as string };
}

describe('the secure forms of a conversation', () => {
  it('lists each form sent, newest first, with its status, title and times as GET /api/v1/forms/:formId shows it, never a value or a link', async () => {
    const name = canary();
    const card = await submittedCardForm(name);
    const identity = await call(world, 'POST', formsPath(card.conversationId), card.agent.token, { templateId: 'identity-check' });
    expect(identity.status, JSON.stringify(identity.body)).toBe(201);
    const links = await linksSentTo(world, card.consumer, 2);
    expect((await openFormLink(world, links[1]!)).status).toBe(200);

    await expect.poll(async () => (await formsSeenBy(card.agent.token, card.conversationId)).map((form) => [form.formId, form.status]), { timeout: 15_000 })
      .toEqual([[identity.body.formId, 'opened'], [card.formId, 'submitted']]);
    const [opened, submitted] = await formsSeenBy(card.agent.token, card.conversationId);
    expect(submitted).toMatchObject({
      title: 'Pay by card', templateId: 'card-payment', conversationId: card.conversationId, agentId: card.agent.id,
      sentAt: expect.any(String), submittedAt: expect.any(String), offRecordExpiresAt: expect.any(String), offRecordExpired: false,
    });
    expect(submitted!.fields).toContainEqual({ name: 'cvv', label: expect.any(String), offRecord: true });
    expect(opened).toMatchObject({ templateId: 'identity-check', openedAt: expect.any(String) });
    expect(opened).not.toHaveProperty('submittedAt');
    expect(opened).not.toHaveProperty('offRecordExpiresAt');
    for (const form of [opened!, submitted!]) {
      const alone = await call(world, 'GET', `/api/v1/forms/${form.formId}`, card.agent.token);
      expect(alone.body).toEqual(form);
    }
    const text = JSON.stringify([opened, submitted]);
    for (const value of [name, '5555555555554444', '4321', ...links.map((link) => link.slice('/forms/'.length))]) expect(text).not.toContain(value);
  });

  it('shows the off-the-record answers as gone once their time is up', async () => {
    const card = await submittedCardForm();
    const [form] = await formsSeenBy(card.agent.token, card.conversationId);
    expect(form).toMatchObject({ status: 'submitted', offRecordExpired: false });
    expect(Date.parse(form!.offRecordExpiresAt as string)).toBeGreaterThan(Date.now());
    await expect.poll(async () => (await formsSeenBy(card.agent.token, card.conversationId))[0]?.offRecordExpired, { timeout: 20_000, interval: 500 }).toBe(true);
  });

  it('is empty for anyone GET /api/v1/forms/:formId refuses: the agent it was transferred to, a manager while it is open', async () => {
    const card = await submittedCardForm();
    const manager = await addAgent(world, { profile: 'manager' });
    const next = await addAgent(world, { skills: ['sales'] });
    expect(await formsSeenBy(manager.token, card.conversationId)).toEqual([]);
    expect((await call(world, 'POST', `/api/v1/conversations/${card.conversationId}/transfer`, card.agent.token, { toAgentId: next.id })).status).toBe(200);
    expect(await formsSeenBy(next.token, card.conversationId)).toEqual([]);
    for (const token of [manager.token, next.token]) expect((await call(world, 'GET', `/api/v1/forms/${card.formId}`, token)).status).toBe(404);
    // The agent who sent it no longer sees the conversation.
    const sender = await call(world, 'GET', formsPath(card.conversationId), card.agent.token);
    expect({ status: sender.status, code: sender.body.error?.code }).toEqual({ status: 404, code: 'conversation_not_found' });
  });

  it('after the conversation closed: lists the forms to a manager with secureForm.viewInHistory, not to the agent who sent them', async () => {
    const card = await submittedCardForm();
    expect((await call(world, 'POST', `/api/v1/conversations/${card.conversationId}/close`, card.agent.token, {})).status).toBe(200);
    await expect.poll(async () => (await call(world, 'GET', `/api/v1/conversations/${card.conversationId}`, world.apiToken)).body.status, { timeout: 15_000 }).toBe('closed');
    const auditor = await addAgent(world, { profile: 'manager' });
    expect((await call(world, 'PUT', `/api/v1/admin/brands/${world.brandId}/users/${auditor.id}/permissions/secureForm.viewInHistory`, testAdminToken)).status).toBe(200);
    expect((await formsSeenBy(auditor.token, card.conversationId)).map((form) => [form.formId, form.status])).toEqual([[card.formId, 'submitted']]);
    expect(await formsSeenBy(card.agent.token, card.conversationId)).toEqual([]);
  });

  it('answers 404 for a conversation of another brand exactly as for one nobody has', async () => {
    const b = await startOtherBrand(world, `+1415557${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`);
    const other = await call(world, 'GET', formsPath(b.conversation.id), world.apiToken);
    const nobodys = await call(world, 'GET', formsPath(randomUUID()), world.apiToken);
    expect({ status: other.status, code: other.body.error?.code }).toEqual({ status: 404, code: 'conversation_not_found' });
    expect({ status: nobodys.status, code: nobodys.body.error?.code }).toEqual({ status: 404, code: 'conversation_not_found' });
  });
});
