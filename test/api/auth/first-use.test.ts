import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, auditOf, login, newPassword, newTenant, request, temporaryPassword, uniqueId, type Tenant } from '../../support/accounts.js';
import { testAdminToken } from '../../support/settings.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

/** A user the tenant's admin created, signed in with the admin's password and not yet past the change. */
async function freshUser(tenant: Tenant) {
  const user = { email: `${uniqueId('fresh')}@example.com`, password: temporaryPassword() };
  const created = await request(system, 'POST', '/api/v1/users', { token: tenant.admin.token, body: { ...user, name: 'Fresh', profile: 'agent' } });
  expect(created.status).toBe(201);
  const session = await login(system, tenant.brandId, user.email, user.password);
  expect(session.status).toBe(200);
  return { id: created.body.id as string, ...user, token: session.body.token as string, session: session.body };
}

const expectChangeRequired = (response: { status: number; body: { error: { code: string } } }) =>
  expect([response.status, response.body.error.code]).toEqual([403, 'password_change_required']);

describe('passwords an administrator set must be changed at first use (PCI DSS 8.3.5)', () => {
  it('lets the session of a user an admin created read GET /me and nothing else: 403 password_change_required', async () => {
    const tenant = await newTenant(system);
    const user = await freshUser(tenant);
    expect(user.session.user.passwordChangeRequired).toBe(true);
    const me = await request(system, 'GET', '/api/v1/me', { token: user.token });
    expect([me.status, me.body.user.passwordChangeRequired]).toEqual([200, true]);
    expectChangeRequired(await request(system, 'GET', '/api/v1/conversations', { token: user.token }));
    expectChangeRequired(await request(system, 'PUT', '/api/v1/me/availability', { token: user.token, body: { availability: 'online' } }));
  });

  it('serves everything once the user chose their own password, with the new token', async () => {
    const tenant = await newTenant(system);
    const user = await freshUser(tenant);
    const changed = await request(system, 'POST', '/api/v1/me/password', { token: user.token, body: { currentPassword: user.password, newPassword: newPassword() } });
    expect([changed.status, changed.body.user.passwordChangeRequired]).toEqual([200, false]);
    expect((await request(system, 'GET', '/api/v1/conversations', { token: changed.body.token })).status).toBe(200);
    expect((await request(system, 'GET', '/api/v1/me', { token: user.token })).status).toBe(401);
  });

  it('requires the change again after an admin resets the password, and the admin\'s password is not accepted as the new one', async () => {
    const tenant = await newTenant(system);
    const agent = await addUser(system, tenant);
    expect((await request(system, 'GET', '/api/v1/conversations', { token: agent.token })).status).toBe(200);
    const reset = temporaryPassword();
    const answer = await request(system, 'POST', `/api/v1/users/${agent.id}/password`, { token: tenant.admin.token, body: { password: reset } });
    expect([answer.status, answer.body.passwordChangeRequired]).toEqual([200, true]);
    const session = await login(system, tenant.brandId, agent.email, reset);
    expectChangeRequired(await request(system, 'GET', '/api/v1/conversations', { token: session.body.token }));
    const same = await request(system, 'POST', '/api/v1/me/password', { token: session.body.token, body: { currentPassword: reset, newPassword: reset } });
    expect([same.status, same.body.error.code]).toEqual([400, 'password_reused']);
  });

  it('applies to users the platform admin creates, such as a brand\'s first admin', async () => {
    const brandId = uniqueId('brand');
    expect((await request(system, 'POST', '/api/v1/admin/brands', { token: testAdminToken, body: { id: brandId, name: 'First' } })).status).toBe(201);
    const user = { email: `${uniqueId('first')}@example.com`, password: temporaryPassword() };
    const created = await request(system, 'POST', `/api/v1/admin/brands/${brandId}/users`, { token: testAdminToken, body: { ...user, name: 'First Admin', profile: 'admin' } });
    expect(created.body.passwordChangeRequired).toBe(true);
    const session = await login(system, brandId, user.email, user.password);
    expectChangeRequired(await request(system, 'GET', '/api/v1/users', { token: session.body.token }));
  });

  it('lets a user sign out before changing, and records the change as the user\'s own', async () => {
    const tenant = await newTenant(system);
    const user = await freshUser(tenant);
    expect((await request(system, 'POST', '/api/v1/auth/logout', { token: user.token })).status).toBe(204);
    const again = await login(system, tenant.brandId, user.email, user.password);
    await request(system, 'POST', '/api/v1/me/password', { token: again.body.token, body: { currentPassword: user.password, newPassword: newPassword() } });
    const changes = await auditOf(system, tenant, `&action=user.password_changed&targetId=${user.id}`);
    expect(changes.map((entry) => entry.actor)).toEqual([{ kind: 'user', id: user.id }]);
  });
});
