import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, auditOf, newTenant, request, uniqueId, type Tenant } from '../../support/accounts.js';
import { testAdminToken } from '../../support/settings.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

const newUserBody = (fields: Record<string, unknown> = {}) => ({
  email: `${uniqueId('new')}@example.com`, name: 'New User', password: 'a-long-enough-password', profile: 'agent', ...fields,
});
const me = async (token: string) => (await request(system, 'GET', '/api/v1/me', { token })).body as { role?: string; permissions: string[] };

/** A user holding users.manage (and conversation.view) but nothing else: the one who would escalate. */
async function userManager(tenant: Tenant, extra: string[] = []) {
  const name = uniqueId('usermgr');
  const profile = await request(system, 'POST', '/api/v1/profiles', {
    token: tenant.admin.token, body: { name, role: 'manager', permissions: ['users.manage', 'conversation.view', ...extra] },
  });
  expect(profile.status, JSON.stringify(profile.body)).toBe(201);
  return addUser(system, tenant, { profile: `custom:${name}` });
}

/** A profile any userManager holds all of. */
async function viewerProfile(tenant: Tenant) {
  const name = uniqueId('viewer');
  expect((await request(system, 'POST', '/api/v1/profiles', { token: tenant.admin.token, body: { name, role: 'agent', permissions: ['conversation.view'] } })).status).toBe(201);
  return `custom:${name}`;
}

describe('nobody grants what they do not hold', () => {
  it('refuses a profile granting a permission its creator lacks with 403 permission_not_grantable, and creates nothing', async () => {
    const tenant = await newTenant(system);
    const manager = await userManager(tenant);
    const name = uniqueId('everything');
    const refused = await request(system, 'POST', '/api/v1/profiles', { token: manager.token, body: { name, role: 'admin', permissions: ['users.manage', 'audit.view'] } });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'permission_not_grantable']);
    expect(refused.body.error.message).toContain('audit.view');
    const listed = (await request(system, 'GET', '/api/v1/profiles', { token: tenant.admin.token })).body.items as { name: string }[];
    expect(listed.map((profile) => profile.name)).not.toContain(name);
  });

  it('refuses a change that makes a profile grant what the changer lacks', async () => {
    const tenant = await newTenant(system);
    const manager = await userManager(tenant);
    const created = await request(system, 'POST', '/api/v1/profiles', { token: manager.token, body: { name: uniqueId('small'), role: 'agent', permissions: ['conversation.view'] } });
    expect(created.status).toBe(201);
    const refused = await request(system, 'PATCH', `/api/v1/profiles/${created.body.id}`, { token: manager.token, body: { permissions: ['conversation.view', 'reports.view'] } });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'permission_not_grantable']);
    const read = (await request(system, 'GET', '/api/v1/profiles', { token: tenant.admin.token })).body.items as { id: string; permissions: string[] }[];
    expect(read.find((profile) => profile.id === created.body.id)?.permissions).toEqual(['conversation.view']);
  });

  it('refuses to change a profile that already grants what the changer lacks, even to take permissions away', async () => {
    const tenant = await newTenant(system);
    const manager = await userManager(tenant);
    const strong = await request(system, 'POST', '/api/v1/profiles', { token: tenant.admin.token, body: { name: uniqueId('strong'), role: 'manager', permissions: ['audit.view', 'reports.view'] } });
    const refused = await request(system, 'PATCH', `/api/v1/profiles/${strong.body.id}`, { token: manager.token, body: { permissions: ['audit.view'] } });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'permission_not_grantable']);
  });

  it('refuses to give a user a profile, built-in or custom, that grants more than the actor holds', async () => {
    const tenant = await newTenant(system);
    const manager = await userManager(tenant);
    for (const profile of ['admin', 'manager']) {
      const refused = await request(system, 'POST', '/api/v1/users', { token: manager.token, body: newUserBody({ profile }) });
      expect([profile, refused.status, refused.body.error.code]).toEqual([profile, 403, 'permission_not_grantable']);
    }
    const viewer = await viewerProfile(tenant);
    const target = await addUser(system, tenant, { profile: viewer, signIn: false });
    const promoted = await request(system, 'PATCH', `/api/v1/users/${target.id}`, { token: manager.token, body: { profile: 'admin' } });
    expect([promoted.status, promoted.body.error.code]).toEqual([403, 'permission_not_grantable']);
    expect((await request(system, 'GET', `/api/v1/users/${target.id}`, { token: tenant.admin.token })).body.profile).toBe(viewer);
  });

  it('lets the actor assign a profile that grants only what they hold', async () => {
    const tenant = await newTenant(system);
    const manager = await userManager(tenant);
    const name = uniqueId('viewer');
    expect((await request(system, 'POST', '/api/v1/profiles', { token: manager.token, body: { name, role: 'agent', permissions: ['conversation.view'] } })).status).toBe(201);
    const created = await request(system, 'POST', '/api/v1/users', { token: manager.token, body: newUserBody({ profile: `custom:${name}` }) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  });

  it('stops the escalation of the issue: a users.manage holder can neither mint an all-powerful profile nor take one, and keeps their permissions', async () => {
    const tenant = await newTenant(system);
    const manager = await userManager(tenant);
    const name = uniqueId('root');
    const minted = await request(system, 'POST', '/api/v1/profiles', {
      token: manager.token, body: { name, role: 'admin', permissions: ['users.manage', 'conversation.view', 'secureForm.viewInHistory', 'audit.view', 'reports.view'] },
    });
    expect([minted.status, minted.body.error.code]).toEqual([403, 'permission_not_grantable']);
    const taken = await request(system, 'PATCH', `/api/v1/users/${manager.id}`, { token: manager.token, body: { profile: 'admin' } });
    expect(taken.status).toBe(403);
    expect((await me(manager.token)).permissions.sort()).toEqual(['conversation.view', 'users.manage']);
  });

  it('refuses anyone, an admin too, changing their own profile with 403 own_profile', async () => {
    const tenant = await newTenant(system);
    const refused = await request(system, 'PATCH', `/api/v1/users/${tenant.admin.id}`, { token: tenant.admin.token, body: { profile: 'agent' } });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'own_profile']);
    expect((await me(tenant.admin.token)).role).toBe('admin');
  });

  it('refuses changing, unlocking or resetting the password of a user who holds more than the actor (403 user_outranks_you)', async () => {
    const tenant = await newTenant(system);
    const manager = await userManager(tenant);
    const attempts = [
      request(system, 'PATCH', `/api/v1/users/${tenant.admin.id}`, { token: manager.token, body: { name: 'Renamed' } }),
      request(system, 'POST', `/api/v1/users/${tenant.admin.id}/unlock`, { token: manager.token }),
      request(system, 'POST', `/api/v1/users/${tenant.admin.id}/password`, { token: manager.token, body: { password: 'taken-over-password-123' } }),
    ];
    for (const response of await Promise.all(attempts)) expect([response.status, response.body.error.code]).toEqual([403, 'user_outranks_you']);
    expect((await me(tenant.admin.token)).role).toBe('admin');
  });

  it('leaves the brand API token no way to users or profiles (403 permission_denied)', async () => {
    const tenant = await newTenant(system);
    const attempts = [
      request(system, 'POST', '/api/v1/profiles', { token: tenant.apiToken, body: { name: uniqueId('api'), role: 'admin', permissions: ['users.manage'] } }),
      request(system, 'POST', '/api/v1/users', { token: tenant.apiToken, body: newUserBody({ profile: 'admin' }) }),
      request(system, 'PATCH', `/api/v1/users/${tenant.admin.id}`, { token: tenant.apiToken, body: { profile: 'agent' } }),
    ];
    for (const response of await Promise.all(attempts)) expect([response.status, response.body.error.code]).toEqual([403, 'permission_denied']);
  });
});

describe('secureForm.viewInHistory: through the platform admin API only', () => {
  const grantPath = (tenant: Tenant, userId: string) => `/api/v1/admin/brands/${tenant.brandId}/users/${userId}/permissions/secureForm.viewInHistory`;

  it('cannot be put into a profile, not even by the brand\'s admin', async () => {
    const tenant = await newTenant(system);
    const refused = await request(system, 'POST', '/api/v1/profiles', {
      token: tenant.admin.token, body: { name: uniqueId('history'), role: 'manager', permissions: ['conversation.view', 'secureForm.viewInHistory'] },
    });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'permission_not_grantable']);
    expect(refused.body.error.message).toContain('platform admin API');
  });

  it('grants nothing when a profile stored before this rule holds it', async () => {
    const tenant = await newTenant(system);
    const name = uniqueId('legacy');
    const created = await request(system, 'POST', '/api/v1/profiles', { token: tenant.admin.token, body: { name, role: 'manager', permissions: ['conversation.view'] } });
    await system.services.database.db.collection('profiles').updateOne({ _id: created.body.id }, { $set: { permissions: ['conversation.view', 'secureForm.viewInHistory'] } });
    const user = await addUser(system, tenant, { profile: `custom:${name}` });
    expect((await me(user.token)).permissions).toEqual(['conversation.view']);
  });

  it('is granted to one user and revoked by the platform admin, from their next request, each change audited with its source', async () => {
    const tenant = await newTenant(system);
    const auditor = await addUser(system, tenant, { profile: 'manager' });
    const granted = await request(system, 'PUT', grantPath(tenant, auditor.id), { token: testAdminToken });
    expect([granted.status, granted.body]).toEqual([200, { userId: auditor.id, permission: 'secureForm.viewInHistory', granted: true }]);
    expect((await me(auditor.token)).permissions).toContain('secureForm.viewInHistory');

    const revoked = await request(system, 'DELETE', grantPath(tenant, auditor.id), { token: testAdminToken });
    expect([revoked.status, revoked.body.granted]).toEqual([200, false]);
    expect((await me(auditor.token)).permissions).not.toContain('secureForm.viewInHistory');

    const entries = (await auditOf(system, tenant, `&targetId=${auditor.id}`)).filter((entry) => entry.action.startsWith('permission.'));
    expect(entries).toEqual([
      expect.objectContaining({ action: 'permission.revoked', actor: { kind: 'platform' }, details: { permission: 'secureForm.viewInHistory' }, source: expect.objectContaining({ ip: expect.stringMatching(/127\.0\.0\.1|::1/) }) }),
      expect.objectContaining({ action: 'permission.granted', actor: { kind: 'platform' }, details: { permission: 'secureForm.viewInHistory' } }),
    ]);
  });

  it('makes its holder unmanageable by a brand admin who lacks it (no password reset to sign in as them)', async () => {
    const tenant = await newTenant(system);
    const auditor = await addUser(system, tenant, { profile: 'manager', signIn: false });
    expect((await request(system, 'PUT', grantPath(tenant, auditor.id), { token: testAdminToken })).status).toBe(200);
    const reset = await request(system, 'POST', `/api/v1/users/${auditor.id}/password`, { token: tenant.admin.token, body: { password: 'taken-over-password-123' } });
    expect([reset.status, reset.body.error.code]).toEqual([403, 'user_outranks_you']);
  });

  it('answers 404 for a user of another brand and 400 for a permission that is not platform-only', async () => {
    const [a, b] = [await newTenant(system), await newTenant(system)];
    const foreign = await request(system, 'PUT', grantPath(a, b.admin.id), { token: testAdminToken });
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'user_not_found']);
    const ordinary = await request(system, 'PUT', `/api/v1/admin/brands/${a.brandId}/users/${a.admin.id}/permissions/users.manage`, { token: testAdminToken });
    expect(ordinary.status).toBe(400);
  });
});

describe('queues.manage', () => {
  it('is needed to set a user\'s queues (skills): users.manage alone answers 403 permission_denied', async () => {
    const tenant = await newTenant(system);
    const [manager, profile] = [await userManager(tenant), await viewerProfile(tenant)];
    const created = await request(system, 'POST', '/api/v1/users', { token: manager.token, body: newUserBody({ profile, skills: ['sales'] }) });
    expect([created.status, created.body.error.code]).toEqual([403, 'permission_denied']);
    expect(created.body.error.message).toContain('queues.manage');
    const plain = await request(system, 'POST', '/api/v1/users', { token: manager.token, body: newUserBody({ profile }) });
    expect(plain.status).toBe(201);
    const moved = await request(system, 'PATCH', `/api/v1/users/${plain.body.id}`, { token: manager.token, body: { skills: ['vip'] } });
    expect([moved.status, moved.body.error.code]).toEqual([403, 'permission_denied']);
    expect((await request(system, 'PATCH', `/api/v1/users/${plain.body.id}`, { token: manager.token, body: { name: 'Renamed' } })).status).toBe(200);
  });

  it('lets its holder set queues', async () => {
    const tenant = await newTenant(system);
    const [manager, profile] = [await userManager(tenant, ['queues.manage']), await viewerProfile(tenant)];
    const created = await request(system, 'POST', '/api/v1/users', { token: manager.token, body: newUserBody({ profile, skills: ['sales'] }) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.skills).toEqual(['sales']);
  });
});
