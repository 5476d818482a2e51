import { createHash, randomBytes } from 'node:crypto';
import { Binary } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/connectors.js';
import { readJson } from '../support/http.js';
import { testAdminToken } from '../support/settings.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

const admin = (method: string, path: string, body?: unknown) => call({ system }, method, path, testAdminToken, body);
const agent = (token: string) => call({ system }, 'GET', '/api/v1/conversations', token);

let counter = 0;
const uniqueBrandId = () => `brand-${randomBytes(3).toString('hex')}-${++counter}`;
const uniqueNumber = () => `+1415555${String(2000 + ++counter).padStart(4, '0')}`;
const canary = (label: string) => `canary-${label}-${randomBytes(12).toString('hex')}`;
const accountSid = () => `AC${randomBytes(16).toString('hex')}`;
const pageId = () => String(100_000_000 + Math.floor(Math.random() * 899_999_999));

async function newBrand(id = uniqueBrandId()) {
  const created = await admin('POST', '/api/v1/admin/brands', { id, name: `Brand ${id}` });
  expect(created.status).toBe(201);
  return { id, apiToken: created.body.apiToken as string };
}

const twilioChannel = (numbers: string[], authToken = canary('auth')) => ({
  kind: 'twilio', accountSid: accountSid(), authToken, numbers: numbers.map((phoneNumber) => ({ phoneNumber })),
});

const facebookChannel = (secrets = { pageAccessToken: canary('page'), appSecret: canary('app'), verifyToken: canary('verify') }) => ({
  kind: 'facebook', pageId: pageId(), ...secrets, queueId: 'support',
});

async function rawChannels(brandId: string) {
  return system.services.database.db.collection('channels').find({ brandId }).toArray();
}

/** Every Binary anywhere in a document. */
function binariesIn(value: unknown): Buffer[] {
  if (value instanceof Binary) return [Buffer.from(value.buffer)];
  if (value && typeof value === 'object') return Object.values(value).flatMap(binariesIn);
  return [];
}

/** Every admin route in the OpenAPI document, with placeholder path parameters. */
async function adminRoutes() {
  const document = await readJson(await fetch(`${system.url}/openapi.json`));
  return Object.entries(document.paths as Record<string, Record<string, unknown>>)
    .filter(([path]) => path.startsWith('/api/v1/admin'))
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, 'some-id') })));
}

describe('admin authentication', () => {
  async function walkWith(headers: Record<string, string>) {
    const routes = await adminRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(9);
    const results = [];
    for (const route of routes) {
      const response = await fetch(`${system.url}${route.path}`, {
        method: route.method,
        headers: { 'content-type': 'application/json', ...headers },
        body: route.method === 'GET' ? undefined : JSON.stringify({ id: 'some-id', name: 'Walker' }),
      });
      results.push({ route: `${route.method} ${route.path}`, status: response.status, code: (await readJson(response)).error?.code });
    }
    return results;
  }

  it('answers 401 on every admin route without a token', async () => {
    for (const result of await walkWith({})) expect(result, result.route).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('answers 401 on every admin route with a wrong token', async () => {
    for (const result of await walkWith({ authorization: `Bearer ${testAdminToken}x` })) expect(result, result.route).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('answers 401 on every admin route with a brand agent token', async () => {
    const { apiToken } = await newBrand();
    for (const result of await walkWith({ authorization: `Bearer ${apiToken}` })) expect(result, result.route).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('creates nothing for an unauthenticated request', async () => {
    await walkWith({ authorization: 'Bearer wrong-token-of-sufficient-length' });
    expect((await admin('GET', '/api/v1/admin/brands/some-id')).status).toBe(404);
  });
});

describe('admin brands', () => {
  it('creates a brand with 201 and returns a working agent API token', async () => {
    const id = uniqueBrandId();
    const created = await admin('POST', '/api/v1/admin/brands', { id, name: 'Acme', helpText: 'Acme: reply here.', inactivityTimeoutMinutes: 30 });
    expect(created.status).toBe(201);
    expect(created.body.brand).toMatchObject({ id, name: 'Acme', status: 'active', helpText: 'Acme: reply here.', inactivityTimeoutMinutes: 30 });
    expect(created.body.apiToken).toMatch(/^sbk_[A-Za-z0-9_-]{20,}$/);
    expect((await agent(created.body.apiToken)).status).toBe(200);
  });

  it('returns the API token only once: reads show token ids, never tokens or their hashes', async () => {
    const { id, apiToken } = await newBrand();
    const hash = createHash('sha256').update(apiToken).digest('hex');
    const reads = [
      await admin('GET', `/api/v1/admin/brands/${id}`),
      await admin('GET', '/api/v1/admin/brands'),
      await admin('PATCH', `/api/v1/admin/brands/${id}`, { name: 'Renamed' }),
    ];
    for (const read of reads) {
      expect(read.status).toBe(200);
      const text = JSON.stringify(read.body);
      expect(text).not.toContain(apiToken);
      expect(text).not.toContain(hash);
      expect(text).not.toMatch(/"hash"/);
    }
    expect(reads[0]!.body.apiTokens).toEqual([{ id: expect.stringMatching(/^tok_/), createdAt: expect.any(String) }]);
  });

  it('refuses a duplicate id with 409 brand_exists and keeps the first brand', async () => {
    const { id, apiToken } = await newBrand();
    const duplicate = await admin('POST', '/api/v1/admin/brands', { id, name: 'Impostor' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('brand_exists');
    expect((await admin('GET', `/api/v1/admin/brands/${id}`)).body.name).toBe(`Brand ${id}`);
    expect((await agent(apiToken)).status).toBe(200);
  });

  it('refuses an invalid brand id with 400 naming the field', async () => {
    const response = await admin('POST', '/api/v1/admin/brands', { id: 'Acme Inc', name: 'Acme' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.details).toEqual([expect.objectContaining({ in: 'body', path: 'id' })]);
  });

  it('refuses an invalid brand body with 400 and a detail per field', async () => {
    const response = await admin('POST', '/api/v1/admin/brands', { id: uniqueBrandId(), name: '', inactivityTimeoutMinutes: 0 });
    expect(response.status).toBe(400);
    expect(response.body.error.details.map((detail: { path: string }) => detail.path).sort()).toEqual(['inactivityTimeoutMinutes', 'name']);
  });

  it('refuses unknown brand fields with 400', async () => {
    const response = await admin('POST', '/api/v1/admin/brands', { id: uniqueBrandId(), name: 'Acme', apiTokens: [] });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
  });

  it('issues another agent token that works beside the first', async () => {
    const { id, apiToken } = await newBrand();
    const issued = await admin('POST', `/api/v1/admin/brands/${id}/api-tokens`);
    expect(issued.status).toBe(201);
    expect(issued.body.apiToken).not.toBe(apiToken);
    expect(issued.body.brand.apiTokens).toHaveLength(2);
    expect((await agent(issued.body.apiToken)).status).toBe(200);
    expect((await agent(apiToken)).status).toBe(200);
  });

  it('makes the agent token 401 on /api/v1/conversations once the brand is disabled, and 200 again once enabled', async () => {
    const { id, apiToken } = await newBrand();
    const disabled = await admin('PATCH', `/api/v1/admin/brands/${id}`, { status: 'disabled' });
    expect(disabled.body.status).toBe('disabled');
    expect((await agent(apiToken)).status).toBe(401);
    await admin('PATCH', `/api/v1/admin/brands/${id}`, { status: 'active' });
    expect((await agent(apiToken)).status).toBe(200);
  });

  it('answers 404 brand_not_found for every route of an unknown brand', async () => {
    const missing = uniqueBrandId();
    const responses = [
      await admin('GET', `/api/v1/admin/brands/${missing}`),
      await admin('PATCH', `/api/v1/admin/brands/${missing}`, { name: 'x' }),
      await admin('POST', `/api/v1/admin/brands/${missing}/api-tokens`),
      await admin('GET', `/api/v1/admin/brands/${missing}/channels`),
      await admin('POST', `/api/v1/admin/brands/${missing}/channels`, twilioChannel([uniqueNumber()])),
    ];
    for (const response of responses) expect([response.status, response.body.error.code]).toEqual([404, 'brand_not_found']);
  });
});

describe('admin channels', () => {
  it('connects a Twilio channel and shows its auth token only as "set"', async () => {
    const { id } = await newBrand();
    const number = uniqueNumber();
    const body = twilioChannel([number]);
    const created = await admin('POST', `/api/v1/admin/brands/${id}/channels`, body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ brandId: id, kind: 'twilio', status: 'active', twilio: { accountSid: body.accountSid, authToken: 'set' } });
    expect(created.body.entryPoints).toEqual([{ id: `twilio:${number}`, address: number, queueId: 'default' }]);
    const read = await admin('GET', `/api/v1/admin/brands/${id}/channels/${created.body.id}`);
    const listed = await admin('GET', `/api/v1/admin/brands/${id}/channels`);
    for (const response of [created, read, listed]) expect(JSON.stringify(response.body)).not.toContain(body.authToken);
  });

  it('connects a Facebook channel and shows its secrets only as "set"', async () => {
    const { id } = await newBrand();
    const body = facebookChannel();
    const created = await admin('POST', `/api/v1/admin/brands/${id}/channels`, body);
    expect(created.status).toBe(201);
    expect(created.body.facebook).toEqual({ pageId: body.pageId, pageAccessToken: 'set', appSecret: 'set', verifyToken: 'set' });
    expect(created.body.entryPoints).toEqual([{ id: `facebook:${body.pageId}`, address: body.pageId, queueId: 'support' }]);
    const listed = await admin('GET', `/api/v1/admin/brands/${id}/channels`);
    for (const secret of [body.pageAccessToken, body.appSecret, body.verifyToken]) {
      expect(JSON.stringify(created.body)).not.toContain(secret);
      expect(JSON.stringify(listed.body)).not.toContain(secret);
    }
  });

  it('stores channel secrets (created and replaced) encrypted: the raw documents hold no canary, as text or bytes', async () => {
    const { id } = await newBrand();
    const twilio = twilioChannel([uniqueNumber()]);
    const facebook = facebookChannel();
    await admin('POST', `/api/v1/admin/brands/${id}/channels`, twilio);
    const page = await admin('POST', `/api/v1/admin/brands/${id}/channels`, facebook);
    const replacement = canary('replaced');
    expect((await admin('PATCH', `/api/v1/admin/brands/${id}/channels/${page.body.id}`, { appSecret: replacement })).status).toBe(200);

    const documents = await rawChannels(id);
    expect(documents).toHaveLength(2);
    const text = JSON.stringify(documents);
    const binaries = documents.flatMap(binariesIn);
    expect(binaries).toHaveLength(4);
    for (const secret of [twilio.authToken, facebook.pageAccessToken, facebook.appSecret, facebook.verifyToken, replacement]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(Buffer.from(secret).toString('base64'));
      for (const bytes of binaries) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }
  });

  it('refuses a Twilio channel body with an invalid number and a short token with 400 naming both fields', async () => {
    const { id } = await newBrand();
    const response = await admin('POST', `/api/v1/admin/brands/${id}/channels`, {
      kind: 'twilio', accountSid: accountSid(), authToken: 'short', numbers: [{ phoneNumber: '4155550100' }],
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details.map((detail: { path: string }) => detail.path).sort()).toEqual(['authToken', 'numbers.0.phoneNumber']);
  });

  it('refuses a Facebook Page id longer than the 20 digits the webhook takes with 400 naming pageId, and says so in its schema', async () => {
    const { id } = await newBrand();
    const response = await admin('POST', `/api/v1/admin/brands/${id}/channels`, { ...facebookChannel(), pageId: '1'.repeat(21) });
    expect(response.status).toBe(400);
    expect(response.body.error.details.map((detail: { path: string }) => detail.path)).toEqual(['pageId']);
    const document = await readJson(await fetch(`${system.url}/openapi.json`));
    const facebook = document.components.schemas.CreateChannel.oneOf.find((option: { properties: Record<string, unknown> }) => 'pageId' in option.properties);
    expect(facebook.properties.pageId.pattern).toBe('^[0-9]{1,20}$');
  });

  it('refuses a number another channel has with 409 entry_point_taken and creates nothing, not even the free number', async () => {
    const first = await newBrand();
    const second = await newBrand();
    const taken = uniqueNumber();
    const free = uniqueNumber();
    expect((await admin('POST', `/api/v1/admin/brands/${first.id}/channels`, twilioChannel([taken]))).status).toBe(201);

    const clash = await admin('POST', `/api/v1/admin/brands/${second.id}/channels`, twilioChannel([free, taken]));
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('entry_point_taken');
    expect((await admin('GET', `/api/v1/admin/brands/${second.id}/channels`)).body.items).toEqual([]);
    expect(await rawChannels(second.id)).toEqual([]);
    expect((await admin('POST', `/api/v1/admin/brands/${second.id}/channels`, twilioChannel([free]))).status).toBe(201);
  });

  it('replaces a channel\'s numbers on PATCH and frees the old one for another channel', async () => {
    const { id } = await newBrand();
    const [oldNumber, newNumber] = [uniqueNumber(), uniqueNumber()];
    const channel = await admin('POST', `/api/v1/admin/brands/${id}/channels`, twilioChannel([oldNumber]));
    const patched = await admin('PATCH', `/api/v1/admin/brands/${id}/channels/${channel.body.id}`, { numbers: [{ phoneNumber: newNumber, queueId: 'sales' }] });
    expect(patched.status).toBe(200);
    expect(patched.body.entryPoints).toEqual([{ id: `twilio:${newNumber}`, address: newNumber, queueId: 'sales' }]);

    const other = await newBrand();
    expect((await admin('POST', `/api/v1/admin/brands/${other.id}/channels`, twilioChannel([oldNumber]))).status).toBe(201);
    expect((await admin('POST', `/api/v1/admin/brands/${other.id}/channels`, twilioChannel([newNumber]))).status).toBe(409);
  });

  it('leaves a channel\'s numbers as they were when a PATCH asks for a taken number', async () => {
    const { id } = await newBrand();
    const [own, wanted, taken] = [uniqueNumber(), uniqueNumber(), uniqueNumber()];
    const channel = await admin('POST', `/api/v1/admin/brands/${id}/channels`, twilioChannel([own]));
    await admin('POST', `/api/v1/admin/brands/${id}/channels`, twilioChannel([taken]));
    const clash = await admin('PATCH', `/api/v1/admin/brands/${id}/channels/${channel.body.id}`, { numbers: [{ phoneNumber: wanted }, { phoneNumber: taken }] });
    expect([clash.status, clash.body.error.code]).toEqual([409, 'entry_point_taken']);
    const read = await admin('GET', `/api/v1/admin/brands/${id}/channels/${channel.body.id}`);
    expect(read.body.entryPoints.map((entry: { address: string }) => entry.address)).toEqual([own]);
    expect((await admin('POST', `/api/v1/admin/brands/${id}/channels`, twilioChannel([wanted]))).status).toBe(201);
  });

  it('answers 404 channel_not_found for a channel of another brand, and leaves it unchanged', async () => {
    const owner = await newBrand();
    const stranger = await newBrand();
    const channel = await admin('POST', `/api/v1/admin/brands/${owner.id}/channels`, twilioChannel([uniqueNumber()]));
    const read = await admin('GET', `/api/v1/admin/brands/${stranger.id}/channels/${channel.body.id}`);
    const patch = await admin('PATCH', `/api/v1/admin/brands/${stranger.id}/channels/${channel.body.id}`, { status: 'disabled' });
    for (const response of [read, patch]) expect([response.status, response.body.error.code]).toEqual([404, 'channel_not_found']);
    expect((await admin('GET', `/api/v1/admin/brands/${owner.id}/channels/${channel.body.id}`)).body.status).toBe('active');
  });

  it('refuses settings of the other kind of channel with 400 and changes nothing', async () => {
    const brand = await newBrand();
    const sms = await admin('POST', `/api/v1/admin/brands/${brand.id}/channels`, twilioChannel([uniqueNumber()]));
    const refused = await admin('PATCH', `/api/v1/admin/brands/${brand.id}/channels/${sms.body.id}`, { appSecret: canary('app'), status: 'disabled' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ path: 'appSecret' })]);
    expect((await admin('GET', `/api/v1/admin/brands/${brand.id}/channels/${sms.body.id}`)).body.status).toBe('active');
  });

  it('disables and re-enables a channel', async () => {
    const { id } = await newBrand();
    const channel = await admin('POST', `/api/v1/admin/brands/${id}/channels`, twilioChannel([uniqueNumber()]));
    expect((await admin('PATCH', `/api/v1/admin/brands/${id}/channels/${channel.body.id}`, { status: 'disabled' })).body.status).toBe('disabled');
    expect((await admin('PATCH', `/api/v1/admin/brands/${id}/channels/${channel.body.id}`, { status: 'active' })).body.status).toBe('active');
  });
});

describe('admin API logs', () => {
  it('never contain channel secrets, agent tokens or the admin token, also for failed requests', async () => {
    const { id, apiToken } = await newBrand();
    const number = uniqueNumber();
    const twilio = twilioChannel([number]);
    const facebook = facebookChannel();
    const clash = twilioChannel([number], canary('clash'));
    const invalid = { ...facebookChannel(), pageId: 'not-a-number' };
    await admin('POST', `/api/v1/admin/brands/${id}/channels`, twilio);
    const page = await admin('POST', `/api/v1/admin/brands/${id}/channels`, facebook);
    await admin('POST', `/api/v1/admin/brands/${id}/channels`, clash);
    await admin('POST', `/api/v1/admin/brands/${id}/channels`, invalid);
    const rotated = canary('rotated');
    await admin('PATCH', `/api/v1/admin/brands/${id}/channels/${page.body.id}`, { pageAccessToken: rotated });
    const issued = await admin('POST', `/api/v1/admin/brands/${id}/api-tokens`);

    const logs = system.logs.text();
    expect(logs).toContain(`/api/v1/admin/brands/${id}/channels`);
    const secrets = [
      twilio.authToken, facebook.pageAccessToken, facebook.appSecret, facebook.verifyToken, clash.authToken,
      invalid.pageAccessToken, invalid.appSecret, invalid.verifyToken, rotated, apiToken, issued.body.apiToken, testAdminToken,
    ];
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });
});
