import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, auditOf, newPassword, newTenant, request, uniqueId } from '../../support/accounts.js';
import { testAdminToken } from '../../support/settings.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

const userBody = (fields: Record<string, unknown> = {}) => ({ email: `${uniqueId('u')}@Example.com`, name: 'Ann Agent', profile: 'agent', password: newPassword(), ...fields });

describe('user management', () => {
  it('creates a user with 201: email lowercased, defaults for capacity and availability, no password data in the answer', async () => {
    const tenant = await newTenant(system);
    const body = userBody({ skills: ['sales'] });
    const created = await request(system, 'POST', '/api/v1/users', { token: tenant.admin.token, body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^usr_[0-9a-f-]{36}$/), brandId: tenant.brandId, email: body.email.toLowerCase(), name: 'Ann Agent',
      profile: 'agent', status: 'active', locked: false, skills: ['sales'], maxConcurrent: 3, availability: 'offline',
    });
    expect(Object.keys(created.body).sort()).toEqual(
      ['availability', 'brandId', 'createdAt', 'email', 'id', 'locked', 'maxConcurrent', 'name', 'passwordChangeRequired', 'passwordChangedAt', 'profile', 'skills', 'status', 'updatedAt'],
    );
  });

  it('refuses a second user with the same email in a brand, whatever its case, with 409 user_exists', async () => {
    const tenant = await newTenant(system);
    const body = userBody();
    await request(system, 'POST', '/api/v1/users', { token: tenant.admin.token, body });
    const again = await request(system, 'POST', '/api/v1/users', { token: tenant.admin.token, body: { ...body, email: body.email.toUpperCase() } });
    expect([again.status, again.body.error.code]).toEqual([409, 'user_exists']);
  });

  it('lets two brands each have a user with the same email', async () => {
    const [a, b] = [await newTenant(system), await newTenant(system)];
    const body = userBody();
    expect((await request(system, 'POST', '/api/v1/users', { token: a.admin.token, body })).status).toBe(201);
    expect((await request(system, 'POST', '/api/v1/users', { token: b.admin.token, body })).status).toBe(201);
  });

  it('lists the brand\'s users and reads one', async () => {
    const tenant = await newTenant(system);
    const agent = await addUser(system, tenant, { signIn: false });
    const list = await request(system, 'GET', '/api/v1/users', { token: tenant.admin.token });
    expect(list.body.items.map((user: { id: string }) => user.id).sort()).toEqual([tenant.admin.id, agent.id].sort());
    expect((await request(system, 'GET', `/api/v1/users/${agent.id}`, { token: tenant.admin.token })).body.email).toBe(agent.email);
  });

  it('updates name, skills and capacity and records user.updated with what changed', async () => {
    const tenant = await newTenant(system);
    const agent = await addUser(system, tenant, { signIn: false });
    const patched = await request(system, 'PATCH', `/api/v1/users/${agent.id}`, { token: tenant.admin.token, body: { name: 'New Name', skills: ['vip'], maxConcurrent: 5 } });
    expect(patched.body).toMatchObject({ name: 'New Name', skills: ['vip'], maxConcurrent: 5 });
    const [entry] = await auditOf(system, tenant, `&action=user.updated&targetId=${agent.id}`);
    expect(entry!.details).toEqual({ name: { from: 'Some User', to: 'New Name' }, skills: { from: [], to: ['vip'] }, maxConcurrent: { from: 3, to: 5 } });
  });

  it('records a profile change as profile.permissions_changed and grants the new profile at once', async () => {
    const tenant = await newTenant(system);
    const agent = await addUser(system, tenant);
    await request(system, 'PATCH', `/api/v1/users/${agent.id}`, { token: tenant.admin.token, body: { profile: 'manager' } });
    const [entry] = await auditOf(system, tenant, `&action=profile.permissions_changed&targetId=${agent.id}`);
    expect(entry).toMatchObject({ actor: { kind: 'user', id: tenant.admin.id }, details: { profile: { from: 'agent', to: 'manager' } } });
    expect((await request(system, 'GET', '/api/v1/audit', { token: agent.token })).status).toBe(200);
  });

  it('records disabling as user.disabled, and re-enabling lets the user sign in again', async () => {
    const tenant = await newTenant(system);
    const agent = await addUser(system, tenant);
    await request(system, 'PATCH', `/api/v1/users/${agent.id}`, { token: tenant.admin.token, body: { status: 'disabled' } });
    expect(await auditOf(system, tenant, `&action=user.disabled&targetId=${agent.id}`)).toHaveLength(1);
    await request(system, 'PATCH', `/api/v1/users/${agent.id}`, { token: tenant.admin.token, body: { status: 'active' } });
    expect((await request(system, 'POST', '/api/v1/auth/login', { body: { brandId: tenant.brandId, email: agent.email, password: agent.password } })).status).toBe(200);
  });

  it('refuses unknown fields (such as a password hash) on create and update with 400', async () => {
    const tenant = await newTenant(system);
    const create = await request(system, 'POST', '/api/v1/users', { token: tenant.admin.token, body: userBody({ passwordHash: 'x' }) });
    const update = await request(system, 'PATCH', `/api/v1/users/${tenant.admin.id}`, { token: tenant.admin.token, body: { failedLogins: 0 } });
    expect([create.status, update.status]).toEqual([400, 400]);
  });
});

describe('bootstrap by the platform admin', () => {
  it('creates a brand\'s first admin with ADMIN_TOKEN and records user.created by the platform', async () => {
    const tenant = await newTenant(system);
    const [entry] = await auditOf(system, tenant, `&action=user.created&targetId=${tenant.admin.id}`);
    expect(entry).toMatchObject({ actor: { kind: 'platform' }, details: { profile: 'admin' } });
  });

  it('answers 404 brand_not_found for an unknown brand and 401 without the admin token', async () => {
    const missing = await request(system, 'POST', `/api/v1/admin/brands/${uniqueId('none')}/users`, { token: testAdminToken, body: userBody() });
    expect([missing.status, missing.body.error.code]).toEqual([404, 'brand_not_found']);
    const tenant = await newTenant(system);
    const noToken = await request(system, 'POST', `/api/v1/admin/brands/${tenant.brandId}/users`, { token: tenant.admin.token, body: userBody() });
    expect([noToken.status, noToken.body.error.code]).toEqual([401, 'unauthorized']);
  });

  it('applies the brand\'s password policy to the bootstrap password', async () => {
    const tenant = await newTenant(system);
    const refused = await request(system, 'POST', `/api/v1/admin/brands/${tenant.brandId}/users`, { token: testAdminToken, body: userBody({ password: 'short-pass' }) });
    expect([refused.status, refused.body.error.message]).toEqual([400, 'password must be at least 12 characters']);
  });
});

describe('audit query', () => {
  it('returns entries newest first, filters by action and target, and pages with before', async () => {
    const tenant = await newTenant(system);
    const users = [];
    for (let i = 0; i < 3; i++) users.push(await addUser(system, tenant, { signIn: false }));
    const created = await auditOf(system, tenant, '&action=user.created');
    expect(created.map((entry) => entry.target!.id)).toEqual([...users.map((user) => user.id).reverse(), tenant.admin.id]);

    const first = await request(system, 'GET', '/api/v1/audit?action=user.created&limit=2', { token: tenant.admin.token });
    expect(first.body.items.map((entry: { target: { id: string } }) => entry.target.id)).toEqual([users[2]!.id, users[1]!.id]);
    const second = await request(system, 'GET', `/api/v1/audit?action=user.created&limit=2&before=${encodeURIComponent(first.body.nextBefore)}`, { token: tenant.admin.token });
    expect(second.body.items.map((entry: { target: { id: string } }) => entry.target.id)).toEqual([users[0]!.id, tenant.admin.id]);
    // Then the user's first sign-in, replacing the admin's password.
    expect((await auditOf(system, tenant, `&targetId=${users[1]!.id}`)).map((entry) => entry.action)).toEqual(['user.password_changed', 'auth.login', 'user.created']);
  });

  it('refuses an unknown action and a bad date with 400', async () => {
    const tenant = await newTenant(system);
    for (const query of ['action=user.deleted', 'before=yesterday', 'limit=0']) {
      expect((await request(system, 'GET', `/api/v1/audit?${query}`, { token: tenant.admin.token })).status, query).toBe(400);
    }
  });
});
