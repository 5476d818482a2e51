import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, auditOf, idleFor, login, newPassword, newTenant, request, setPolicy, type Tenant } from '../../support/accounts.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

const patchPolicy = (tenant: Tenant, body: unknown) => request(system, 'PATCH', '/api/v1/account-policy', { token: tenant.admin.token, body });

describe('account policy', () => {
  it('reads the defaults when the brand set nothing: 12 characters, 3 failed sign-ins, 15 minutes idle', async () => {
    const tenant = await newTenant(system);
    const policy = await request(system, 'GET', '/api/v1/account-policy', { token: tenant.admin.token });
    expect(policy.status).toBe(200);
    expect(policy.body).toEqual({ minPasswordLength: 12, maxFailedLogins: 3, idleTimeoutMinutes: 15 });
  });

  it('accepts the strictest settings: 128 characters, 3 failed sign-ins, 1 minute idle', async () => {
    const tenant = await newTenant(system);
    expect(await setPolicy(system, tenant, { minPasswordLength: 128, maxFailedLogins: 3, idleTimeoutMinutes: 1 })).toEqual({ minPasswordLength: 128, maxFailedLogins: 3, idleTimeoutMinutes: 1 });
  });

  it('accepts PCI DSS v4.0\'s limits: 12 characters (8.3.6), a lock after 10 failures (8.3.4), 15 minutes idle (8.2.8)', async () => {
    const tenant = await newTenant(system);
    expect(await setPolicy(system, tenant, { minPasswordLength: 12, maxFailedLogins: 10, idleTimeoutMinutes: 15 })).toEqual({ minPasswordLength: 12, maxFailedLogins: 10, idleTimeoutMinutes: 15 });
  });

  it('refuses a minimum password length of 11 with 400 saying the floor, and keeps the old value', async () => {
    const tenant = await newTenant(system);
    const refused = await patchPolicy(tenant, { minPasswordLength: 11 });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ path: 'minPasswordLength', message: 'minPasswordLength must be at least 12' })]);
    expect((await request(system, 'GET', '/api/v1/account-policy', { token: tenant.admin.token })).body.minPasswordLength).toBe(12);
  });

  it('refuses fewer than 3 failed sign-ins before the lock, more than 10, and an idle timeout outside 1–15 minutes', async () => {
    const tenant = await newTenant(system);
    const cases = [
      [{ maxFailedLogins: 2 }, 'maxFailedLogins must be at least 3'],
      [{ maxFailedLogins: 11 }, 'maxFailedLogins must be at most 10'],
      [{ idleTimeoutMinutes: 0 }, 'idleTimeoutMinutes must be at least 1'],
      [{ idleTimeoutMinutes: 16 }, 'idleTimeoutMinutes must be at most 15'],
      [{ minPasswordLength: 129 }, 'minPasswordLength must be at most 128'],
    ] as const;
    for (const [body, message] of cases) {
      const refused = await patchPolicy(tenant, body);
      expect([refused.status, refused.body.error.details[0].message], JSON.stringify(body)).toEqual([400, message]);
    }
  });

  it('changes only the settings given and records policy.changed with the old and new values', async () => {
    const tenant = await newTenant(system);
    expect(await setPolicy(system, tenant, { idleTimeoutMinutes: 10 })).toEqual({ minPasswordLength: 12, maxFailedLogins: 3, idleTimeoutMinutes: 10 });
    expect(await setPolicy(system, tenant, { maxFailedLogins: 5 })).toEqual({ minPasswordLength: 12, maxFailedLogins: 5, idleTimeoutMinutes: 10 });
    const entries = await auditOf(system, tenant, '&action=policy.changed');
    expect(entries.map((entry) => entry.details)).toEqual([{ maxFailedLogins: { from: 3, to: 5 } }, { idleTimeoutMinutes: { from: 15, to: 10 } }]);
    expect(entries[0]!.actor).toEqual({ kind: 'user', id: tenant.admin.id });
  });

  it('refuses a new user\'s password shorter than the brand\'s minimum, naming the length', async () => {
    const tenant = await newTenant(system);
    const refused = await request(system, 'POST', '/api/v1/users', { token: tenant.admin.token, body: { email: 'short@example.com', name: 'S', profile: 'agent', password: 'elevenchars' } });
    expect([refused.status, refused.body.error.code, refused.body.error.message]).toEqual([400, 'password_too_short', 'password must be at least 12 characters']);
  });

  it('accepts a password of exactly 12 characters, and the user can sign in with it', async () => {
    const tenant = await newTenant(system);
    const user = await addUser(system, tenant, { password: 'twelve-chars', signIn: false });
    expect((await login(system, tenant.brandId, user.email, 'twelve-chars')).status).toBe(200);
  });

  it('reads a policy stored below today\'s floors (7 characters, 60 minutes idle) as the floors: 12 characters, 15 minutes', async () => {
    const tenant = await newTenant(system);
    await system.services.database.db.collection<{ _id: string }>('brands').updateOne(
      { _id: tenant.brandId }, { $set: { 'policy.minPasswordLength': 7, 'policy.idleTimeoutMinutes': 60, 'policy.maxFailedLogins': 50 } },
    );
    const policy = await request(system, 'GET', '/api/v1/account-policy', { token: tenant.admin.token });
    expect(policy.body).toEqual({ minPasswordLength: 12, maxFailedLogins: 10, idleTimeoutMinutes: 15 });
    const refused = await request(system, 'POST', '/api/v1/users', { token: tenant.admin.token, body: { email: 'seven@example.com', name: 'S', profile: 'agent', password: 'seven77' } });
    expect([refused.status, refused.body.error.code]).toEqual([400, 'password_too_short']);
    await idleFor(system, tenant.admin.token, 16);
    expect((await request(system, 'GET', '/api/v1/me', { token: tenant.admin.token })).body.error.code).toBe('session_expired');
  });

  it('refuses a new password equal to any of the user\'s last 4 (PCI DSS 8.3.7), and accepts the fifth-last', async () => {
    const tenant = await newTenant(system);
    const agent = await addUser(system, tenant);
    const passwords = [agent.password];
    let token = agent.token;
    const change = (password: string) => request(system, 'POST', '/api/v1/me/password', { token, body: { currentPassword: passwords.at(-1), newPassword: password } });
    for (let round = 1; round <= 3; round++) {
      const password = newPassword(`round-${round}`);
      const changed = await change(password);
      expect(changed.status).toBe(200);
      token = changed.body.token as string;
      passwords.push(password);
    }
    for (const reused of passwords) {
      const refused = await change(reused);
      expect([refused.status, refused.body.error.code, refused.body.error.message]).toEqual([400, 'password_reused', 'newPassword must differ from your last 4 passwords']);
    }
    const fourth = newPassword('round-4');
    const changed = await change(fourth);
    expect(changed.status).toBe(200);
    token = changed.body.token as string;
    passwords.push(fourth);
    expect((await change(passwords[0]!)).status).toBe(200);
  });

  it('checks a changed password against the brand\'s current minimum', async () => {
    const tenant = await newTenant(system);
    await setPolicy(system, tenant, { minPasswordLength: 20 });
    const refused = await request(system, 'POST', '/api/v1/me/password', { token: tenant.admin.token, body: { currentPassword: tenant.admin.password, newPassword: 'nineteen-characters' } });
    expect([refused.status, refused.body.error.message]).toEqual([400, 'password must be at least 20 characters']);
    const accepted = await request(system, 'POST', '/api/v1/me/password', { token: tenant.admin.token, body: { currentPassword: tenant.admin.password, newPassword: newPassword() } });
    expect(accepted.status).toBe(200);
  });
});
