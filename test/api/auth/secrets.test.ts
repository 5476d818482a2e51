import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, login, newTenant, request } from '../../support/accounts.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

const canary = (label: string) => `canary-${label}-${Math.random().toString(36).slice(2)}-${Date.now()}`;

async function everyDocumentAsText(): Promise<string> {
  const { db } = system.services.database;
  const texts = [];
  for (const { name } of await db.listCollections().toArray()) texts.push(JSON.stringify(await db.collection(name).find({}).toArray()));
  return texts.join('\n');
}

describe('credentials at rest and in logs', () => {
  it('keeps passwords (set, wrong, changed, reset) and session tokens out of every collection and every log line', async () => {
    const tenant = await newTenant(system);
    const initial = canary('initial');
    const agent = await addUser(system, tenant, { password: initial });
    const wrong = canary('wrong');
    await login(system, tenant.brandId, agent.email, wrong);
    await login(system, tenant.brandId, 'nobody@example.com', canary('unknown-user'));
    const changed = canary('changed');
    const change = await request(system, 'POST', '/api/v1/me/password', { token: agent.token, body: { currentPassword: initial, newPassword: changed } });
    const reset = canary('reset');
    await request(system, 'POST', `/api/v1/users/${agent.id}/password`, { token: tenant.admin.token, body: { password: reset } });
    const tooShort = canary('x').slice(0, 11);
    await request(system, 'POST', '/api/v1/users', { token: tenant.admin.token, body: { email: 's@example.com', name: 'S', profile: 'agent', password: tooShort } });
    const fresh = await login(system, tenant.brandId, agent.email, reset);

    const secrets = [initial, wrong, changed, reset, tooShort, tenant.admin.password, tenant.admin.token, agent.token, change.body.token, fresh.body.token, tenant.apiToken];
    expect(secrets.every(Boolean)).toBe(true);
    const stored = await everyDocumentAsText();
    expect(stored).toContain(agent.id);
    expect(stored).toMatch(/"passwordHash":"scrypt\$32768\$8\$1\$/);
    const logs = system.logs.text();
    expect(logs).toContain('/api/v1/auth/login');
    for (const secret of secrets) {
      expect(stored).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  });
});
