import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, auditOf, login, newPassword, newTenant, request, setPolicy } from '../../support/accounts.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

const me = (token: string) => request(system, 'GET', '/api/v1/me', { token });
const changePassword = (token: string, currentPassword: string, password = newPassword()) =>
  request(system, 'POST', '/api/v1/me/password', { token, body: { currentPassword, newPassword: password } });

describe('every password check counts towards the lock', () => {
  it('ends the sessions of a user locked by failed sign-ins (401 account_locked)', async () => {
    const tenant = await newTenant(system);
    const agent = await addUser(system, tenant);
    for (let attempt = 0; attempt < 3; attempt++) await login(system, tenant.brandId, agent.email, 'wrong-password');
    const refused = await me(agent.token);
    expect([refused.status, refused.body.error.code]).toEqual([401, 'account_locked']);
  });

  it('counts a wrong current password on POST /me/password: the third locks the account and ends the session', async () => {
    const tenant = await newTenant(system);
    const agent = await addUser(system, tenant);
    for (let attempt = 0; attempt < 3; attempt++) {
      const refused = await changePassword(agent.token, 'not-my-password');
      expect([refused.status, refused.body.error.code]).toEqual([403, 'wrong_password']);
    }
    expect((await request(system, 'GET', `/api/v1/users/${agent.id}`, { token: tenant.admin.token })).body.locked).toBe(true);
    expect((await me(agent.token)).status).toBe(401);
    expect((await login(system, tenant.brandId, agent.email, agent.password)).status).toBe(401);
    const reasons = (await auditOf(system, tenant, `&action=auth.login_failed&targetId=${agent.id}`)).map((entry) => entry.details);
    expect(reasons).toEqual([{ reason: 'locked' }, ...Array(3).fill({ reason: 'wrong_password', check: 'password_change' })]);
  });

  it('shares the count between sign-in and password change: failures of both add up', async () => {
    const tenant = await newTenant(system);
    const agent = await addUser(system, tenant);
    await login(system, tenant.brandId, agent.email, 'wrong-password');
    await login(system, tenant.brandId, agent.email, 'wrong-password');
    expect((await changePassword(agent.token, 'not-my-password')).status).toBe(403);
    expect((await me(agent.token)).status).toBe(401);
  });

  it('rate limits POST /me/password per address and user like sign-in: 429 rate_limited on the 11th within a minute', async () => {
    const tenant = await newTenant(system);
    await setPolicy(system, tenant, { maxFailedLogins: 10 });
    const agent = await addUser(system, tenant);
    // The user's first sign-in replaced the admin's password: 1 of the 10, then 8 wrong and 1 right.
    for (let attempt = 0; attempt < 8; attempt++) expect((await changePassword(agent.token, 'not-my-password')).status).toBe(403);
    const changed = await changePassword(agent.token, agent.password);
    expect(changed.status).toBe(200);
    const limited = await changePassword(changed.body.token, 'not-my-password');
    expect([limited.status, limited.body.error.code]).toEqual([429, 'rate_limited']);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await me(changed.body.token)).status).toBe(200);
  });
});
