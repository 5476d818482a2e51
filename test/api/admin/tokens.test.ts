import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTenant, request, uniqueId } from '../../support/accounts.js';
import { testAdminToken } from '../../support/settings.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

const admin = (method: string, path: string, body?: unknown) => request(system, method, path, { token: testAdminToken, body });
const asIntegration = (token: string) => request(system, 'GET', '/api/v1/conversations', { token });
const tokensOf = async (brandId: string) => (await admin('GET', `/api/v1/admin/brands/${brandId}/api-tokens`)).body.items as { id: string; createdAt: string; expiresAt?: string }[];

async function newBrand() {
  const id = uniqueId('brand');
  const created = await admin('POST', '/api/v1/admin/brands', { id, name: `Brand ${id}` });
  expect(created.status).toBe(201);
  return { id, apiToken: created.body.apiToken as string, tokenId: created.body.brand.apiTokens[0].id as string };
}

async function issue(brandId: string, body?: unknown) {
  const issued = await admin('POST', `/api/v1/admin/brands/${brandId}/api-tokens`, body);
  expect(issued.status, JSON.stringify(issued.body)).toBe(201);
  const token = issued.body.apiToken as string;
  const hash = createHash('sha256').update(token).digest('hex');
  const brand = await system.services.database.db.collection<{ _id: string; apiTokens: { id: string; hash: string; expiresAt?: Date }[] }>('brands').findOne({ _id: brandId });
  return { token, id: brand!.apiTokens.find((record) => record.hash === hash)!.id };
}

/** What an unknown token gets: the answer an expired or revoked one must match. */
async function unknownTokenAnswer() {
  const answer = await asIntegration(`sbk_${randomBytes(24).toString('base64url')}`);
  return { status: answer.status, code: answer.body.error.code, message: answer.body.error.message };
}
const answerOf = async (token: string) => {
  const answer = await asIntegration(token);
  return { status: answer.status, code: answer.body?.error?.code, message: answer.body?.error?.message };
};

describe('brand API token revocation', () => {
  it('answers a revoked token 401 exactly like an unknown one, from the next request, and leaves the brand\'s other tokens working', async () => {
    const brand = await newBrand();
    const second = await issue(brand.id);
    expect((await asIntegration(second.token)).status).toBe(200);
    const revoked = await admin('DELETE', `/api/v1/admin/brands/${brand.id}/api-tokens/${second.id}`);
    expect(revoked.status).toBe(204);
    expect(await answerOf(second.token)).toEqual(await unknownTokenAnswer());
    expect((await asIntegration(brand.apiToken)).status).toBe(200);
  });

  it('lists the brand\'s tokens without the revoked one, never a token or its hash', async () => {
    const brand = await newBrand();
    const second = await issue(brand.id);
    await admin('DELETE', `/api/v1/admin/brands/${brand.id}/api-tokens/${second.id}`);
    const listed = await admin('GET', `/api/v1/admin/brands/${brand.id}/api-tokens`);
    expect(listed.body.items).toEqual([{ id: brand.tokenId, createdAt: expect.any(String) }]);
    const text = JSON.stringify(listed.body);
    for (const secret of [brand.apiToken, createHash('sha256').update(brand.apiToken).digest('hex')]) expect(text).not.toContain(secret);
  });

  it('answers 404 api_token_not_found for a token revoked already, of another brand, or unknown', async () => {
    const [brand, other] = [await newBrand(), await newBrand()];
    await admin('DELETE', `/api/v1/admin/brands/${brand.id}/api-tokens/${brand.tokenId}`);
    for (const [brandId, tokenId] of [[brand.id, brand.tokenId], [brand.id, other.tokenId], [brand.id, 'tok_nothing']]) {
      const response = await admin('DELETE', `/api/v1/admin/brands/${brandId}/api-tokens/${tokenId}`);
      expect([response.status, response.body.error.code]).toEqual([404, 'api_token_not_found']);
    }
    expect((await asIntegration(other.apiToken)).status).toBe(200);
  });

  it('keeps a token revoked even when a concurrent brand update wrote the token back', async () => {
    const brand = await newBrand();
    const brands = system.services.database.db.collection<{ _id: string; apiTokens: unknown[] }>('brands');
    const before = (await brands.findOne({ _id: brand.id }))!.apiTokens;
    expect((await admin('DELETE', `/api/v1/admin/brands/${brand.id}/api-tokens/${brand.tokenId}`)).status).toBe(204);
    // What a lost update looks like on a server that rewrites whole documents: the old array back.
    await brands.updateOne({ _id: brand.id }, { $set: { apiTokens: before } });
    expect(await answerOf(brand.apiToken)).toEqual(await unknownTokenAnswer());
    expect(await tokensOf(brand.id)).toEqual([]);
  });
});

describe('brand API token expiry', () => {
  it('issues a token that expires after expiresInDays, shown in the listing', async () => {
    const brand = await newBrand();
    const before = Date.now();
    const issued = await issue(brand.id, { expiresInDays: 30 });
    expect((await asIntegration(issued.token)).status).toBe(200);
    const listed = (await tokensOf(brand.id)).find((token) => token.id === issued.id)!;
    const expiresAt = new Date(listed.expiresAt!).getTime();
    expect(expiresAt - before).toBeGreaterThanOrEqual(30 * 86_400_000 - 1_000);
    expect(expiresAt - before).toBeLessThanOrEqual(30 * 86_400_000 + 60_000);
  });

  it('answers an expired token 401 exactly like an unknown one', async () => {
    const brand = await newBrand();
    const issued = await issue(brand.id, { expiresInDays: 1 });
    const brands = system.services.database.db.collection<{ _id: string; apiTokens: { id: string; expiresAt?: Date }[] }>('brands');
    const document = (await brands.findOne({ _id: brand.id }))!;
    const apiTokens = document.apiTokens.map((token) => (token.id === issued.id ? { ...token, expiresAt: new Date(Date.now() - 1_000) } : token));
    await brands.updateOne({ _id: brand.id }, { $set: { apiTokens } });
    expect(await answerOf(issued.token)).toEqual(await unknownTokenAnswer());
    expect((await asIntegration(brand.apiToken)).status).toBe(200);
  });

  it('gives a new brand\'s first token an expiry when asked', async () => {
    const id = uniqueId('brand');
    const created = await admin('POST', '/api/v1/admin/brands', { id, name: 'Expiring', apiTokenExpiresInDays: 7 });
    expect(created.status).toBe(201);
    expect(created.body.brand.apiTokens[0].expiresAt).toEqual(expect.any(String));
  });

  it('refuses an expiry outside 1–3650 days with 400', async () => {
    const brand = await newBrand();
    for (const expiresInDays of [0, 3651, 1.5]) {
      const response = await admin('POST', `/api/v1/admin/brands/${brand.id}/api-tokens`, { expiresInDays });
      expect([response.status, response.body.error.details[0].path]).toEqual([400, 'expiresInDays']);
    }
  });
});

describe('the platform admin\'s actions, in the brand\'s audit log with their source', () => {
  const auditAs = async (apiToken: string, query = '') =>
    (await request(system, 'GET', `/api/v1/audit?limit=200${query}`, { token: apiToken })).body.items as {
      action: string; actor: { kind: string; id?: string }; target?: { kind: string; id: string }; details?: Record<string, unknown>; source?: { ip?: string; requestId: string };
    }[];
  const fromHere = expect.objectContaining({ ip: expect.stringMatching(/127\.0\.0\.1|::1/), requestId: expect.any(String) });

  it('records creating and changing the brand, issuing and revoking tokens, connecting and changing channels: as the platform, from the caller\'s address', async () => {
    const brand = await newBrand();
    const issued = await issue(brand.id, { expiresInDays: 5 });
    await admin('DELETE', `/api/v1/admin/brands/${brand.id}/api-tokens/${issued.id}`);
    await admin('PATCH', `/api/v1/admin/brands/${brand.id}`, { name: 'Renamed' });
    const authToken = `canary-${randomBytes(12).toString('hex')}`;
    const channel = await admin('POST', `/api/v1/admin/brands/${brand.id}/channels`, {
      kind: 'twilio', accountSid: `AC${randomBytes(16).toString('hex')}`, authToken, numbers: [{ phoneNumber: `+1415555${String(Math.floor(1000 + Math.random() * 8999))}` }],
    });
    expect(channel.status, JSON.stringify(channel.body)).toBe(201);
    const rotated = `canary-${randomBytes(12).toString('hex')}`;
    expect((await admin('PATCH', `/api/v1/admin/brands/${brand.id}/channels/${channel.body.id}`, { authToken: rotated, status: 'disabled' })).status).toBe(200);

    const entries = await auditAs(brand.apiToken);
    const byAction = (action: string) => entries.filter((entry) => entry.action === action);
    expect(byAction('brand.created')).toEqual([expect.objectContaining({ actor: { kind: 'platform' }, target: { kind: 'brand', id: brand.id }, source: fromHere })]);
    expect(byAction('brand.updated')).toEqual([expect.objectContaining({ details: { name: { from: `Brand ${brand.id}`, to: 'Renamed' } }, source: fromHere })]);
    expect(byAction('api_token.created').map((entry) => entry.target?.id).sort()).toEqual([brand.tokenId, issued.id].sort());
    expect(byAction('api_token.revoked')).toEqual([expect.objectContaining({ actor: { kind: 'platform' }, target: { kind: 'api_token', id: issued.id }, source: fromHere })]);
    expect(byAction('channel.created')).toEqual([expect.objectContaining({ target: { kind: 'channel', id: channel.body.id }, source: fromHere })]);
    expect(byAction('channel.updated')).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ changed: ['authToken', 'status'], status: { from: 'active', to: 'disabled' } }), source: fromHere }),
    ]);
    const text = JSON.stringify(entries);
    for (const secret of [authToken, rotated, brand.apiToken, testAdminToken]) expect(text).not.toContain(secret);
  });

  it('gives entries written by brand use cases the source too: the request id the caller sent', async () => {
    const tenant = await newTenant(system);
    const requestId = `trace-${randomBytes(8).toString('hex')}`;
    const response = await fetch(`${system.url}/api/v1/profiles`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.admin.token}`, 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ name: uniqueId('traced'), role: 'agent', permissions: [] }),
    });
    expect(response.status).toBe(201);
    const entry = (await auditAs(tenant.apiToken, '&action=profile.created'))[0];
    expect(entry?.source).toEqual({ ip: expect.stringMatching(/127\.0\.0\.1|::1/), requestId });
  });

  it('documents the source and the token routes in /openapi.json', async () => {
    const document = (await request(system, 'GET', '/openapi.json')).body;
    expect(Object.keys(document.components.schemas.AuditEntry.properties)).toContain('source');
    expect(Object.keys(document.paths['/api/v1/admin/brands/{brandId}/api-tokens/{tokenId}'].delete.responses)).toEqual(expect.arrayContaining(['204', '401', '404']));
    expect(document.paths['/api/v1/admin/brands/{brandId}/api-tokens'].get.operationId).toBe('listBrandApiTokens');
  });
});
