import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTenant, request } from '../../support/accounts.js';
import { testAdminToken } from '../../support/settings.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

const me = (token: string) => request(system, 'GET', '/api/v1/me', { token });

describe('who may call the account routes', () => {
  it('documents the account routes in /openapi.json as taking a session or a brand API token', async () => {
    const document = (await request(system, 'GET', '/openapi.json')).body;
    expect(document.components.securitySchemes.sessionToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.paths['/api/v1/users/{userId}'].patch.security).toEqual([{ sessionToken: [] }, { sessionCookie: [] }, { brandToken: [] }]);
    expect(document.paths['/api/v1/auth/login'].post.security).toBeUndefined();
  });

  it('answers 401 to sessions and API tokens of a disabled brand', async () => {
    const tenant = await newTenant(system);
    await request(system, 'PATCH', `/api/v1/admin/brands/${tenant.brandId}`, { token: testAdminToken, body: { status: 'disabled' } });
    expect((await me(tenant.admin.token)).status).toBe(401);
    expect((await request(system, 'GET', '/api/v1/audit', { token: tenant.apiToken })).status).toBe(401);
  });

  it('accepts the brand API token as an integration: audit readable, users not, /me is for users only', async () => {
    const tenant = await newTenant(system);
    expect((await request(system, 'GET', '/api/v1/audit', { token: tenant.apiToken })).status).toBe(200);
    const users = await request(system, 'GET', '/api/v1/users', { token: tenant.apiToken });
    expect([users.status, users.body.error.code]).toEqual([403, 'permission_denied']);
    const self = await me(tenant.apiToken);
    expect([self.status, self.body.error.code]).toEqual([403, 'user_session_required']);
  });
});
