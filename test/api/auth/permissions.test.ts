import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, newTenant, request, type Tenant } from '../../support/accounts.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

/** One call per protected route, with bodies the route would accept. */
const routes = (userId: string, profileId: string) => ({
  'users.manage': [
    ['GET', '/api/v1/users'], ['POST', '/api/v1/users', { email: 'x@example.com', name: 'X', profile: 'agent', password: 'long-enough-password' }],
    ['GET', `/api/v1/users/${userId}`], ['PATCH', `/api/v1/users/${userId}`, { name: 'Renamed' }], ['POST', `/api/v1/users/${userId}/unlock`],
    ['POST', `/api/v1/users/${userId}/password`, { password: 'long-enough-password' }],
    ['GET', '/api/v1/profiles'], ['POST', '/api/v1/profiles', { name: 'sneaky', role: 'admin', permissions: ['users.manage'] }],
    ['PATCH', `/api/v1/profiles/${profileId}`, { permissions: ['users.manage'] }],
    ['GET', '/api/v1/account-policy'], ['PATCH', '/api/v1/account-policy', { idleTimeoutMinutes: 60 }],
  ],
  'audit.view': [['GET', '/api/v1/audit']],
}) as Record<string, [string, string, unknown?][]>;

async function statuses(tenant: Tenant, token: string, permission: string) {
  const [profile, target] = await Promise.all([
    request(system, 'POST', '/api/v1/profiles', { token: tenant.admin.token, body: { name: `p${Math.random().toString(36).slice(2, 8)}`, role: 'agent', permissions: [] } }),
    addUser(system, tenant, { signIn: false }),
  ]);
  const results = [];
  for (const [method, path, body] of routes(target.id, profile.body.id)[permission]!) {
    const response = await request(system, method, path, { token, body });
    results.push(`${method} ${path.replace(target.id, ':userId').replace(profile.body.id, ':profileId')} ${response.status} ${response.body?.error?.code ?? ''}`.trim());
  }
  return results;
}

describe('permissions', () => {
  it('answers an agent 403 permission_denied on every users, profiles, policy and audit route', async () => {
    const tenant = await newTenant(system);
    const agent = await addUser(system, tenant, { profile: 'agent' });
    for (const permission of ['users.manage', 'audit.view']) {
      for (const result of await statuses(tenant, agent.token, permission)) expect(result).toMatch(/ 403 permission_denied$/);
    }
  });

  it('lets a manager read the audit log but not manage users', async () => {
    const tenant = await newTenant(system);
    const manager = await addUser(system, tenant, { profile: 'manager' });
    expect((await request(system, 'GET', '/api/v1/audit', { token: manager.token })).status).toBe(200);
    for (const result of await statuses(tenant, manager.token, 'users.manage')) expect(result).toMatch(/ 403 permission_denied$/);
  });

  it('gives a custom profile\'s user exactly its permissions, and a change to the profile applies on the next request', async () => {
    const tenant = await newTenant(system);
    const created = await request(system, 'POST', '/api/v1/profiles', { token: tenant.admin.token, body: { name: 'viewer', role: 'agent', permissions: ['conversation.view'] } });
    expect(created.status).toBe(201);
    const viewer = await addUser(system, tenant, { profile: 'custom:viewer' });
    const me = await request(system, 'GET', '/api/v1/me', { token: viewer.token });
    expect([me.body.role, me.body.permissions]).toEqual(['agent', ['conversation.view']]);
    expect((await request(system, 'GET', '/api/v1/audit', { token: viewer.token })).status).toBe(403);

    await request(system, 'PATCH', `/api/v1/profiles/${created.body.id}`, { token: tenant.admin.token, body: { permissions: ['conversation.view', 'audit.view'] } });
    expect((await request(system, 'GET', '/api/v1/audit', { token: viewer.token })).status).toBe(200);
  });

  it('refuses permission names that do not exist in a custom profile with 400', async () => {
    const tenant = await newTenant(system);
    const refused = await request(system, 'POST', '/api/v1/profiles', { token: tenant.admin.token, body: { name: 'bogus', role: 'agent', permissions: ['conversation.view', 'root.everything'] } });
    expect([refused.status, refused.body.error.details[0].path]).toEqual([400, 'permissions.1']);
  });

  it('refuses a user with a custom profile the brand does not have (400 unknown_profile)', async () => {
    const tenant = await newTenant(system);
    const refused = await request(system, 'POST', '/api/v1/users', { token: tenant.admin.token, body: { email: 'n@example.com', name: 'N', profile: 'custom:missing', password: 'long-enough-password' } });
    expect([refused.status, refused.body.error.code]).toEqual([400, 'unknown_profile']);
  });

  it('refuses changes to a built-in profile with 409 profile_built_in', async () => {
    const tenant = await newTenant(system);
    const refused = await request(system, 'PATCH', '/api/v1/profiles/agent', { token: tenant.admin.token, body: { permissions: ['users.manage'] } });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'profile_built_in']);
  });
});

describe('brand isolation', () => {
  it('answers a brand A admin 404 for brand B\'s user ids on every user route, and changes nothing', async () => {
    const [a, b] = [await newTenant(system), await newTenant(system)];
    const victim = await addUser(system, b);
    const attempts = [
      request(system, 'GET', `/api/v1/users/${victim.id}`, { token: a.admin.token }),
      request(system, 'PATCH', `/api/v1/users/${victim.id}`, { token: a.admin.token, body: { status: 'disabled' } }),
      request(system, 'POST', `/api/v1/users/${victim.id}/unlock`, { token: a.admin.token }),
      request(system, 'POST', `/api/v1/users/${victim.id}/password`, { token: a.admin.token, body: { password: 'taken-over-password' } }),
    ];
    for (const response of await Promise.all(attempts)) expect([response.status, response.body.error.code]).toEqual([404, 'user_not_found']);
    expect((await request(system, 'GET', '/api/v1/me', { token: victim.token })).status).toBe(200);
    expect((await request(system, 'GET', `/api/v1/users/${victim.id}`, { token: b.admin.token })).body.status).toBe('active');
  });

  it('answers 404 for another brand\'s profile id, lists only the own brand\'s users, profiles and audit', async () => {
    const [a, b] = [await newTenant(system), await newTenant(system)];
    const theirs = await request(system, 'POST', '/api/v1/profiles', { token: b.admin.token, body: { name: 'theirs', role: 'agent', permissions: [] } });
    const patched = await request(system, 'PATCH', `/api/v1/profiles/${theirs.body.id}`, { token: a.admin.token, body: { permissions: ['users.manage'] } });
    expect([patched.status, patched.body.error.code]).toEqual([404, 'profile_not_found']);
    const text = JSON.stringify([
      (await request(system, 'GET', '/api/v1/users', { token: a.admin.token })).body,
      (await request(system, 'GET', '/api/v1/profiles', { token: a.admin.token })).body,
      (await request(system, 'GET', '/api/v1/audit?limit=200', { token: a.admin.token })).body,
    ]);
    for (const foreign of [b.admin.id, b.admin.email, b.brandId, theirs.body.id]) expect(text).not.toContain(foreign);
  });

  it('refuses brand B\'s custom profile name for a brand A user', async () => {
    const [a, b] = [await newTenant(system), await newTenant(system)];
    await request(system, 'POST', '/api/v1/profiles', { token: b.admin.token, body: { name: 'only-in-b', role: 'admin', permissions: ['users.manage'] } });
    const refused = await request(system, 'POST', '/api/v1/users', { token: a.admin.token, body: { email: 'c@example.com', name: 'C', profile: 'custom:only-in-b', password: 'long-enough-password' } });
    expect([refused.status, refused.body.error.code]).toEqual([400, 'unknown_profile']);
  });
});
