import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, auditOf, login, newTenant, request, setPolicy, uniqueId, type Tenant } from '../../support/accounts.js';
import { testAdminToken } from '../../support/settings.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

const invalidCredentials = { code: 'invalid_credentials', message: 'Email or password is wrong' };
const withoutRequestId = (body: { error: Record<string, unknown> }) => ({ ...body.error, requestId: undefined });

describe('sign-in', () => {
  it('returns a session token, its expiry 12 hours ahead and the user without password data', async () => {
    const tenant = await newTenant(system);
    const user = await addUser(system, tenant, { signIn: false, skills: ['sales'] });
    const response = await login(system, tenant.brandId, user.email.toUpperCase(), user.password);
    expect(response.status).toBe(200);
    expect(response.body.token).toMatch(/^sbs_[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(response.body.expiresAt) - Date.now()).toBeGreaterThan(11.9 * 3_600_000);
    expect(response.body.user).toMatchObject({ id: user.id, email: user.email, profile: 'agent', status: 'active', locked: false, skills: ['sales'], maxConcurrent: 3, availability: 'offline' });
    expect(Object.keys(response.body.user)).not.toEqual(expect.arrayContaining(['passwordHash']));
    expect(JSON.stringify(response.body)).not.toMatch(/passwordHash|failedLogins|scrypt/);
  });

  it('answers an unknown email and a wrong password with the same 401 body', async () => {
    const tenant = await newTenant(system);
    const unknown = await login(system, tenant.brandId, 'nobody@example.com', 'whatever-password');
    const wrong = await login(system, tenant.brandId, tenant.admin.email, 'whatever-password');
    expect([unknown.status, wrong.status]).toEqual([401, 401]);
    expect(withoutRequestId(unknown.body)).toEqual(withoutRequestId(wrong.body));
    expect(unknown.body.error).toMatchObject(invalidCredentials);
  });

  it('answers an unknown brand and a disabled user, even with the right password, with the same 401', async () => {
    const tenant = await newTenant(system);
    const user = await addUser(system, tenant, { signIn: false });
    await request(system, 'PATCH', `/api/v1/users/${user.id}`, { token: tenant.admin.token, body: { status: 'disabled' } });
    const disabled = await login(system, tenant.brandId, user.email, user.password);
    const unknownBrand = await login(system, uniqueId('nobrand'), user.email, user.password);
    for (const response of [disabled, unknownBrand]) expect([response.status, response.body.error]).toEqual([401, expect.objectContaining(invalidCredentials)]);
  });

  it('answers users of a disabled brand with the same 401', async () => {
    const tenant = await newTenant(system);
    await request(system, 'PATCH', `/api/v1/admin/brands/${tenant.brandId}`, { token: testAdminToken, body: { status: 'disabled' } });
    const response = await login(system, tenant.brandId, tenant.admin.email, tenant.admin.password);
    expect([response.status, response.body.error]).toEqual([401, expect.objectContaining(invalidCredentials)]);
  });

  it('takes about as long for an unknown email as for a wrong password (both check a hash)', async () => {
    const tenant = await newTenant(system);
    const time = async (email: string) => {
      const started = performance.now();
      await login(system, tenant.brandId, email, 'not-the-password');
      return performance.now() - started;
    };
    const fastest = async (email: string) => Math.min(await time(email), await time(email), await time(email));
    const unknown = await fastest('nobody@example.com');
    expect(unknown).toBeGreaterThan(20);
    const wrong = await fastest(tenant.admin.email);
    expect(unknown / wrong).toBeGreaterThan(0.5);
  });
});

const failureReasons = async (tenant: Tenant, userId: string) =>
  (await auditOf(system, tenant, `&action=auth.login_failed&targetId=${userId}`)).map((entry) => entry.details!.reason);

describe('lockout', () => {
  it('answers a locked account with the same 401 invalid_credentials as a wrong password, even with the right password', async () => {
    const tenant = await newTenant(system);
    await setPolicy(system, tenant, { maxFailedLogins: 4 });
    const user = await addUser(system, tenant, { signIn: false });
    const unknown = await login(system, tenant.brandId, 'nobody@example.com', 'wrong-password');
    for (let attempt = 1; attempt <= 3; attempt++) expect((await login(system, tenant.brandId, user.email, 'wrong-password')).status).toBe(401);
    expect((await request(system, 'GET', `/api/v1/users/${user.id}`, { token: tenant.admin.token })).body.locked).toBe(false);
    expect((await login(system, tenant.brandId, user.email, 'wrong-password')).status).toBe(401);

    const right = await login(system, tenant.brandId, user.email, user.password);
    const wrong = await login(system, tenant.brandId, user.email, 'wrong-password');
    for (const response of [right, wrong]) {
      expect(response.status).toBe(401);
      expect(withoutRequestId(response.body)).toEqual(withoutRequestId(unknown.body));
    }
    expect((await request(system, 'GET', `/api/v1/users/${user.id}`, { token: tenant.admin.token })).body.locked).toBe(true);
    expect((await failureReasons(tenant, user.id)).slice(0, 2)).toEqual(['locked', 'locked']);
  });

  it('verifies at most maxFailedLogins of 9 parallel wrong passwords; the others are refused unverified', async () => {
    const tenant = await newTenant(system);
    const user = await addUser(system, tenant, { signIn: false });
    // 9: the user's first sign-in used one of the address's 10 attempts a minute.
    const responses = await Promise.all(Array.from({ length: 9 }, (_, index) => login(system, tenant.brandId, user.email, `parallel-guess-${index}`)));
    expect(responses.map((response) => response.status)).toEqual(Array(9).fill(401));
    // Each verified wrong password is audited as wrong_password; a refused one as locked.
    const reasons = await failureReasons(tenant, user.id);
    expect(reasons.filter((reason) => reason === 'wrong_password')).toHaveLength(3);
    expect(reasons.filter((reason) => reason === 'locked')).toHaveLength(6);
    expect(await auditOf(system, tenant, `&action=user.locked&targetId=${user.id}`)).toHaveLength(1);
    expect((await request(system, 'GET', `/api/v1/users/${user.id}`, { token: tenant.admin.token })).body.locked).toBe(true);
  });

  it('counts only consecutive failures: a success in between starts the count again', async () => {
    const tenant = await newTenant(system);
    const user = await addUser(system, tenant, { signIn: false });
    for (const password of ['wrong-1', 'wrong-2', user.password, 'wrong-3', 'wrong-4']) await login(system, tenant.brandId, user.email, password);
    expect((await login(system, tenant.brandId, user.email, user.password)).status).toBe(200);
  });

  it('lets a locked user sign in again once an admin unlocks them, with a fresh count', async () => {
    const tenant = await newTenant(system);
    const user = await addUser(system, tenant, { signIn: false });
    for (let attempt = 0; attempt < 3; attempt++) await login(system, tenant.brandId, user.email, 'wrong-password');
    expect((await login(system, tenant.brandId, user.email, user.password)).status).toBe(401);
    const unlocked = await request(system, 'POST', `/api/v1/users/${user.id}/unlock`, { token: tenant.admin.token });
    expect([unlocked.status, unlocked.body.locked]).toEqual([200, false]);
    for (let attempt = 0; attempt < 2; attempt++) await login(system, tenant.brandId, user.email, 'wrong-password');
    expect((await login(system, tenant.brandId, user.email, user.password)).status).toBe(200);
  });

  it('records the failures, the lock (once), the unlock and the successful sign-in in the audit log, never the password', async () => {
    const tenant = await newTenant(system);
    const user = await addUser(system, tenant, { signIn: false });
    for (let attempt = 0; attempt < 4; attempt++) await login(system, tenant.brandId, user.email, 'typed-wrong-password');
    await request(system, 'POST', `/api/v1/users/${user.id}/unlock`, { token: tenant.admin.token });
    await login(system, tenant.brandId, user.email, user.password);

    const entries = (await auditOf(system, tenant, `&targetId=${user.id}`)).filter((entry) => entry.action !== 'user.password_changed');
    // The first sign-in (replacing the admin's password) comes first; the third failure and its lock may share a millisecond.
    expect(entries.map((entry) => entry.action).sort()).toEqual([
      'auth.login', 'auth.login', 'auth.login_failed', 'auth.login_failed', 'auth.login_failed', 'auth.login_failed', 'user.created', 'user.locked', 'user.unlocked',
    ]);
    expect([entries[0]!.action, entries[1]!.action, entries.at(-1)!.action]).toEqual(['auth.login', 'user.unlocked', 'user.created']);
    expect(entries.find((entry) => entry.action === 'user.unlocked')!.actor).toEqual({ kind: 'user', id: tenant.admin.id });
    expect(entries.filter((entry) => entry.action === 'auth.login_failed').map((entry) => entry.details!.reason)).toEqual(['locked', 'wrong_password', 'wrong_password', 'wrong_password']);
    expect(JSON.stringify(entries)).not.toContain('typed-wrong-password');
    expect(JSON.stringify(entries)).not.toContain(user.password);
  });
});
