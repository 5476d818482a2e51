/**
 * Brand form templates over HTTP: created by a brand admin, listed to agents
 * after the built-ins, sent like a built-in; a field marked offRecord stays
 * out of the vault yet reaches the sender while the off-the-record timer runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startConnectorWorld, type ConnectorWorld } from '../../support/connectors.js';
import { conversationWithAgent, hiddenKey, linkSentTo, openFormLink, postForm } from '../../support/secure-forms.js';
import { addAgent, type Agent } from '../../support/workspace.js';

let world: ConnectorWorld;
beforeAll(async () => {
  world = await startConnectorWorld();
}, 60_000);
afterAll(() => world?.stop());

const memorableWord = `Wren${Date.now()}`;
const template = {
  id: 'account-check',
  title: 'Check your account',
  intro: 'So we can find your account.',
  fields: [
    { name: 'accountNumber', label: 'Account number', type: 'number', required: true, help: 'The 8 digits on your statement' },
    { name: 'memorableWord', label: 'Memorable word', type: 'secretAnswer', required: true, offRecord: true },
  ],
};

type ListedTemplate = { id: string; builtIn: boolean } & Record<string, unknown>;
const listTemplates = async (token: string) => (await call(world, 'GET', '/api/v1/form-templates', token)).body.items as ListedTemplate[];

describe('brand form templates', () => {
  let admin: Agent;
  let agent: Agent;
  let conversationId = '';
  let consumer = '';
  let formId = '';
  let visitorPage = '';

  beforeAll(async () => {
    admin = await addAgent(world, { profile: 'admin' });
    ({ agent, conversationId, consumer } = await conversationWithAgent(world));
  }, 60_000);

  it('are created by a brand admin (201, the template as saved)', async () => {
    const created = await call(world, 'POST', '/api/v1/form-templates', admin.token, template);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toEqual(template);
  });

  it('are listed to agents after the built-ins, offRecord mark kept', async () => {
    const items = await listTemplates(agent.token);
    expect(items.map((item) => [item.id, item.builtIn])).toEqual([['card-payment', true], ['identity-check', true], ['account-check', false]]);
    expect(items[2]).toEqual({ ...template, builtIn: false });
  });

  it('cannot be created by an agent without users.manage (403, nothing saved)', async () => {
    const refused = await call(world, 'POST', '/api/v1/form-templates', agent.token, { ...template, id: 'agent-made' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('permission_denied');
    expect((await listTemplates(admin.token)).map((item) => item.id)).not.toContain('agent-made');
  });

  it('refuse a field of an unknown type (400 naming the field, nothing saved)', async () => {
    const invalid = { ...template, id: 'bad-type', fields: [template.fields[0], { name: 'score', label: 'Credit score', type: 'creditScore', required: true }] };
    const refused = await call(world, 'POST', '/api/v1/form-templates', admin.token, invalid);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ in: 'body', path: 'fields.1.type' })] });
    expect((await listTemplates(admin.token)).map((item) => item.id)).not.toContain('bad-type');
  });

  it('are sent like a built-in and the visitor submits the custom fields', async () => {
    const sent = await call(world, 'POST', `/api/v1/conversations/${conversationId}/forms`, agent.token, { templateId: 'account-check' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body).toMatchObject({ title: 'Check your account', status: 'sent' });
    formId = sent.body.formId;
    const page = await openFormLink(world, await linkSentTo(world, consumer));
    expect(page.status).toBe(200);
    visitorPage = await page.text();
    expect([...visitorPage.matchAll(/<input[^>]* name="([^"]+)"/g)].map((match) => match[1])).toEqual(['key', 'accountNumber', 'memorableWord']);
    const submitted = await postForm(world, formId, { key: hiddenKey(visitorPage), accountNumber: '12345678', memorableWord });
    expect(submitted.status).toBe(200);
  });

  it('tell the visitor, on the off-record field only, that it is not stored', () => {
    expect(visitorPage).not.toBe('');
    expect([...visitorPage.matchAll(/<p class="note" id="(field-[A-Za-z]+)-note">Not stored/g)].map((match) => match[1])).toEqual(['field-memorableWord']);
  });

  it('keep the off-record field out of the vault record', async () => {
    expect(formId).not.toBe('');
    const vault = world.system.services.database.client.db(world.system.settings.mongo.vaultDbName).collection('vault_records');
    const records = await vault.find({ formId }).toArray();
    expect(records).toHaveLength(1);
    expect(Object.keys(records[0]!.fields)).toEqual(['accountNumber']);
    const form = await call(world, 'GET', `/api/v1/forms/${formId}`, agent.token);
    expect(form.body).toMatchObject({ status: 'submitted', fields: [{ name: 'accountNumber', offRecord: false }, { name: 'memorableWord', offRecord: true }], offRecordExpired: false });
  });

  it('reveal the off-record answer to the sender while the off-the-record timer runs', async () => {
    expect(formId).not.toBe('');
    const issued = await call(world, 'POST', `/api/v1/forms/${formId}/reveal-key`, agent.token);
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    const revealed = await call(world, 'POST', `/api/v1/forms/${formId}/reveal`, agent.token, { key: issued.body.key });
    expect(revealed.status, JSON.stringify(revealed.body)).toBe(200);
    expect((revealed.body.fields as { name: string; offRecord: boolean; value: string }[]).map(({ name, offRecord, value }) => ({ name, offRecord, value }))).toEqual([
      { name: 'accountNumber', offRecord: false, value: '12345678' },
      { name: 'memorableWord', offRecord: true, value: memorableWord },
    ]);
  });
});

describe('form templates: edge cases', () => {
  it('refuses a field named "key", duplicate field names and a built-in id, with 400', async () => {
    const admin = await addAgent(world, { profile: 'admin' });
    const field = (name: string) => ({ name, label: name, type: 'text', required: true });
    for (const body of [
      { id: 'with-key', title: 'x', fields: [field('key')] },
      { id: 'dupes', title: 'x', fields: [field('a'), field('a')] },
      { id: 'card-payment', title: 'x', fields: [field('a')] },
    ]) {
      expect((await call(world, 'POST', '/api/v1/form-templates', admin.token, body)).status, body.id).toBe(400);
    }
  });
});

describe('forms in flight', () => {
  it('keep the template they were sent with: a later edit cannot move an off-the-record field into the vault', async () => {
    const admin = await addAgent(world, { profile: 'admin' });
    const template = (offRecord: boolean) => ({
      id: 'pin-check', title: 'PIN check', fields: [{ name: 'pin', label: 'PIN', type: 'number', required: true, offRecord }],
    });
    expect((await call(world, 'POST', '/api/v1/form-templates', admin.token, template(true))).status).toBe(201);
    const setup = await conversationWithAgent(world);
    const sent = await call(world, 'POST', `/api/v1/conversations/${setup.conversationId}/forms`, setup.agent.token, { templateId: 'pin-check' });
    const page = await (await openFormLink(world, await linkSentTo(world, setup.consumer))).text();
    expect((await call(world, 'POST', '/api/v1/form-templates', admin.token, template(false))).status).toBe(201);
    expect((await postForm(world, sent.body.formId, { key: hiddenKey(page), pin: '8642' })).status).toBe(200);
    const vault = world.system.services.database.client.db(world.system.settings.mongo.vaultDbName).collection('vault_records');
    expect(await vault.countDocuments({ formId: sent.body.formId })).toBe(0);
  });
});

describe('a brand template\'s own texts', () => {
  it('are refused with 422 when they hold a card number, and nothing is saved', async () => {
    const admin = await addAgent(world, { profile: 'admin' });
    const pasted = { ...template, id: 'pasted-card', fields: [{ ...template.fields[0]!, help: 'e.g. 4111 1111 1111 1111' }] };
    const refused = await call(world, 'POST', '/api/v1/form-templates', admin.token, pasted);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'sensitive_data_in_text', details: [expect.objectContaining({ path: 'fields[0].help', cards: 1 })] });
    expect(JSON.stringify(refused.body)).not.toContain('4111');
    expect((await listTemplates(admin.token)).map((t) => t.id)).not.toContain('pasted-card');
  });
});
