import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { readJson } from './http.js';
import { testAdminToken } from './settings.js';
import type { TestSystem } from './system.js';

export interface Account {
  id: string;
  email: string;
  password: string;
  token: string;
}

export interface Tenant {
  brandId: string;
  apiToken: string;
  admin: Account;
}

let counter = 0;
export const uniqueId = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}-${++counter}`;
/** 27+ characters: meets any policy the tests set. */
export const newPassword = (label = 'pw') => `${label}-${randomBytes(18).toString('base64url')}`;
export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** JSON request, with a bearer token when given; returns status, parsed body and headers. */
export async function request(system: TestSystem, method: string, path: string, options: { token?: string; body?: unknown } = {}) {
  const response = await fetch(`${system.url}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return { status: response.status, headers: response.headers, body: response.status === 204 ? undefined : await readJson(response) };
}

export const login = (system: TestSystem, brandId: string, email: string, password: string) =>
  request(system, 'POST', '/api/v1/auth/login', { body: { brandId, email, password } });

/** A password an administrator sets: the user replaces it at first sign-in. */
export const temporaryPassword = () => newPassword('temporary');

/**
 * Signs in with the password an administrator set and replaces it with the user's own, as PCI DSS 8.3.5
 * requires before anything else; returns the session token that then works everywhere.
 */
export async function completeFirstSignIn(baseUrl: string, user: { brandId: string; email: string; temporaryPassword: string; password: string }): Promise<string> {
  const post = async (path: string, body: unknown, token?: string) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`POST ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as { token: string };
  };
  const first = await post('/api/v1/auth/login', { brandId: user.brandId, email: user.email, password: user.temporaryPassword });
  return (await post('/api/v1/me/password', { currentPassword: user.temporaryPassword, newPassword: user.password }, first.token)).token;
}

async function signIn(system: TestSystem, brandId: string, user: { id: string; email: string; password: string }, temporary: string): Promise<Account> {
  return { ...user, token: await completeFirstSignIn(system.url, { brandId, email: user.email, temporaryPassword: temporary, password: user.password }) };
}

/** A new brand (through the admin API) whose first admin the platform admin created and who is signed in. */
export async function newTenant(system: TestSystem): Promise<Tenant> {
  const brandId = uniqueId('brand');
  const brand = await request(system, 'POST', '/api/v1/admin/brands', { token: testAdminToken, body: { id: brandId, name: `Brand ${brandId}` } });
  expect(brand.status).toBe(201);
  const user = { email: `${uniqueId('admin')}@example.com`, password: newPassword('admin') };
  const temporary = temporaryPassword();
  const created = await request(system, 'POST', `/api/v1/admin/brands/${brandId}/users`, {
    token: testAdminToken, body: { email: user.email, password: temporary, name: 'First Admin', profile: 'admin' },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { brandId, apiToken: brand.body.apiToken as string, admin: await signIn(system, brandId, { id: created.body.id as string, ...user }, temporary) };
}

/**
 * A user created by the tenant's admin, who has already replaced the admin's temporary password with
 * `password` (PCI DSS 8.3.5); signed in unless told otherwise.
 */
export async function addUser(
  system: TestSystem,
  tenant: Tenant,
  fields: { profile?: string; skills?: string[]; password?: string; signIn?: boolean } = {},
): Promise<Account> {
  const user = { email: `${uniqueId('user')}@example.com`, password: fields.password ?? newPassword('user') };
  const temporary = temporaryPassword();
  const created = await request(system, 'POST', '/api/v1/users', {
    token: tenant.admin.token, body: { email: user.email, password: temporary, name: 'Some User', profile: fields.profile ?? 'agent', skills: fields.skills ?? [] },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const account = await signIn(system, tenant.brandId, { id: created.body.id as string, ...user }, temporary);
  return fields.signIn === false ? { ...account, token: '' } : account;
}

export async function setPolicy(system: TestSystem, tenant: Tenant, policy: Record<string, number>) {
  const response = await request(system, 'PATCH', '/api/v1/account-policy', { token: tenant.admin.token, body: policy });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

/** Audit entries of the tenant, newest first, through the API. */
export async function auditOf(system: TestSystem, tenant: Tenant, query = '') {
  const response = await request(system, 'GET', `/api/v1/audit?limit=200${query}`, { token: tenant.admin.token });
  expect(response.status).toBe(200);
  return response.body.items as { action: string; actor: { kind: string; id?: string }; target?: { kind: string; id: string }; details?: Record<string, unknown> }[];
}

/** Moves a session's last activity into the past, as if its user had been away. */
export async function idleFor(system: TestSystem, token: string, minutes: number) {
  const sessions = system.services.database.db.collection<{ _id: string; lastSeenAt: Date }>('sessions');
  const result = await sessions.updateOne({ _id: sha256(token) }, { $set: { lastSeenAt: new Date(Date.now() - minutes * 60_000) } });
  expect(result.matchedCount).toBe(1);
}
