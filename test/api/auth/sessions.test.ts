import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, auditOf, idleFor, login, newTenant, request, setPolicy, sha256 } from '../../support/accounts.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

const me = (token: string) => request(system, 'GET', '/api/v1/me', { token });
const sessions = () => system.services.database.db.collection<{ _id: string; userId: string; lastSeenAt: Date; expiresAt: Date }>('sessions');

describe('sessions', () => {
  it('shows the signed-in user, their effective permissions and the idle timeout on /me', async () => {
    const tenant = await newTenant(system);
    const agent = await addUser(system, tenant, { skills: ['sales', 'support'] });
    const response = await me(agent.token);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      user: expect.objectContaining({ id: agent.id, email: agent.email, profile: 'agent', skills: ['sales', 'support'], locked: false }),
      role: 'agent',
      permissions: ['conversation.view', 'conversation.accept', 'conversation.reply', 'conversation.transfer', 'conversation.close', 'conversation.reopen', 'secureForm.use'],
      idleTimeoutMinutes: 15,
    });
  });

  it('answers 401 without a token and with an unknown session token', async () => {
    expect((await request(system, 'GET', '/api/v1/me')).status).toBe(401);
    const unknown = await me(`sbs_${'A'.repeat(43)}`);
    expect([unknown.status, unknown.body.error.code]).toEqual([401, 'unauthorized']);
  });

  it('keeps a session that was idle for 14 minutes under the default 15-minute timeout', async () => {
    const tenant = await newTenant(system);
    await idleFor(system, tenant.admin.token, 14);
    expect((await me(tenant.admin.token)).status).toBe(200);
  });

  it('ends a session idle for 16 minutes under the default timeout with 401 session_expired', async () => {
    const tenant = await newTenant(system);
    await idleFor(system, tenant.admin.token, 16);
    const response = await me(tenant.admin.token);
    expect([response.status, response.body.error.code, response.body.error.message]).toEqual([
      401, 'session_expired', 'Signed out after 15 minutes without activity: sign in again',
    ]);
  });

  it('ends a session idle for longer than the brand\'s 1-minute timeout and deletes it', async () => {
    const tenant = await newTenant(system);
    const agent = await addUser(system, tenant);
    await setPolicy(system, tenant, { idleTimeoutMinutes: 1 });
    await idleFor(system, agent.token, 2);
    const response = await me(agent.token);
    expect([response.status, response.body.error.code, response.body.error.message]).toEqual([
      401, 'session_expired', 'Signed out after 1 minute without activity: sign in again',
    ]);
    expect(await sessions().findOne({ _id: sha256(agent.token) })).toBeNull();
    expect((await me(tenant.admin.token)).status).toBe(200);
  });

  it('moves lastSeenAt forward on use, so activity keeps a session alive', async () => {
    const tenant = await newTenant(system);
    await idleFor(system, tenant.admin.token, 10);
    expect((await me(tenant.admin.token)).status).toBe(200);
    const session = await sessions().findOne({ _id: sha256(tenant.admin.token) });
    expect(Date.now() - session!.lastSeenAt.getTime()).toBeLessThan(10_000);
  });

  it('ends a session past its absolute 12-hour expiry with 401 session_expired, however active', async () => {
    const tenant = await newTenant(system);
    await sessions().updateOne({ _id: sha256(tenant.admin.token) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const response = await me(tenant.admin.token);
    expect([response.status, response.body.error.code]).toEqual([401, 'session_expired']);
  });

  it('sweeps the user\'s expired and idle sessions when they sign in again', async () => {
    const tenant = await newTenant(system);
    const [expired, idle, live] = await Promise.all([1, 2, 3].map(() => login(system, tenant.brandId, tenant.admin.email, tenant.admin.password)));
    await sessions().updateOne({ _id: sha256(expired!.body.token) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    await idleFor(system, idle!.body.token, 20);
    await login(system, tenant.brandId, tenant.admin.email, tenant.admin.password);
    const left = (await sessions().find({ userId: tenant.admin.id }).toArray()).map((session) => session._id);
    expect(left).toHaveLength(3);
    expect(left).toEqual(expect.arrayContaining([sha256(tenant.admin.token), sha256(live!.body.token)]));
  });

  it('ends only this session on logout, and records auth.logout', async () => {
    const tenant = await newTenant(system);
    const other = await login(system, tenant.brandId, tenant.admin.email, tenant.admin.password);
    expect((await request(system, 'POST', '/api/v1/auth/logout', { token: tenant.admin.token })).status).toBe(204);
    expect((await me(tenant.admin.token)).status).toBe(401);
    expect((await me(other.body.token)).status).toBe(200);
    expect((await auditOf(system, { ...tenant, admin: { ...tenant.admin, token: other.body.token } }, '&action=auth.logout'))).toHaveLength(1);
  });

  it('ends every session of a user who changes their password and returns a working new token', async () => {
    const tenant = await newTenant(system);
    const agent = await addUser(system, tenant);
    const second = await login(system, tenant.brandId, agent.email, agent.password);
    const changed = await request(system, 'POST', '/api/v1/me/password', { token: agent.token, body: { currentPassword: agent.password, newPassword: 'a-brand-new-password-1' } });
    expect(changed.status).toBe(200);
    expect((await me(agent.token)).status).toBe(401);
    expect((await me(second.body.token)).status).toBe(401);
    expect((await me(changed.body.token)).status).toBe(200);
    expect((await login(system, tenant.brandId, agent.email, agent.password)).status).toBe(401);
    expect((await login(system, tenant.brandId, agent.email, 'a-brand-new-password-1')).status).toBe(200);
    // This change, after the one of the first sign-in (replacing the admin's password).
    expect((await auditOf(system, tenant, `&action=user.password_changed&targetId=${agent.id}`))).toHaveLength(2);
  });

  it('refuses a password change with a wrong current password (403 wrong_password) and keeps the sessions', async () => {
    const tenant = await newTenant(system);
    const agent = await addUser(system, tenant);
    const refused = await request(system, 'POST', '/api/v1/me/password', { token: agent.token, body: { currentPassword: 'not-my-password', newPassword: 'a-brand-new-password-2' } });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'wrong_password']);
    expect((await me(agent.token)).status).toBe(200);
  });

  it('ends every session of a user an admin disables', async () => {
    const tenant = await newTenant(system);
    const agent = await addUser(system, tenant);
    const disabled = await request(system, 'PATCH', `/api/v1/users/${agent.id}`, { token: tenant.admin.token, body: { status: 'disabled' } });
    expect([disabled.status, disabled.body.status]).toEqual([200, 'disabled']);
    expect(await sessions().countDocuments({ userId: agent.id })).toBe(0);
    expect((await me(agent.token)).status).toBe(401);
  });

  it('ends every session of a user whose password an admin resets', async () => {
    const tenant = await newTenant(system);
    const agent = await addUser(system, tenant);
    const reset = await request(system, 'POST', `/api/v1/users/${agent.id}/password`, { token: tenant.admin.token, body: { password: 'reset-by-the-admin-1' } });
    expect(reset.status).toBe(200);
    expect((await me(agent.token)).status).toBe(401);
    expect((await login(system, tenant.brandId, agent.email, 'reset-by-the-admin-1')).status).toBe(200);
  });
});
