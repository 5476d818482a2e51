import express from 'express';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../../../api/middleware/error-handler.js';
import { ApiRoutes } from '../../../api/openapi/routes.js';
import { registerAuthRoutes } from '../../../api/routes/auth.js';
import { createAccountDependencies } from '../../../api/use-cases/accounts/dependencies.js';
import { BrandRepository } from '../../../db/repositories/brands.js';
import { login, newTenant, uniqueId } from '../../support/accounts.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

const spoofedLogin = (target: TestSystem, brandId: string, email: string, forwardedFor: string) =>
  fetch(`${target.url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor }, body: JSON.stringify({ brandId, email, password: 'guess-password' }),
  });

describe('sign-in rate limit', () => {
  it('answers the 11th attempt within a minute for one address and email with 429 rate_limited, other emails unaffected', async () => {
    const tenant = await newTenant(system);
    const email = `${uniqueId('target')}@example.com`;
    for (let attempt = 0; attempt < 10; attempt++) expect((await login(system, tenant.brandId, email, 'guess-password')).status).toBe(401);
    const limited = await login(system, tenant.brandId, email.toUpperCase(), 'guess-password');
    expect([limited.status, limited.body.error.code]).toEqual([429, 'rate_limited']);
    expect(limited.body.error.requestId).toEqual(expect.any(String));
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await login(system, tenant.brandId, tenant.admin.email, tenant.admin.password)).status).toBe(200);
  });

  it('ignores X-Forwarded-For by default: a spoofed address per attempt does not escape the per-address limit', async () => {
    const tenant = await newTenant(system);
    const email = `${uniqueId('target')}@example.com`;
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt++) statuses.push((await spoofedLogin(system, tenant.brandId, email, `10.9.8.${attempt}`)).status);
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
  });

  it('takes the client address from X-Forwarded-For only when TRUST_PROXY names the proxy (here loopback)', async () => {
    const behindProxy = await startTestSystem({ env: { TRUST_PROXY: 'loopback' } });
    try {
      const tenant = await newTenant(behindProxy);
      const email = `${uniqueId('target')}@example.com`;
      for (let attempt = 0; attempt < 10; attempt++) expect((await spoofedLogin(behindProxy, tenant.brandId, email, '10.9.8.1')).status).toBe(401);
      expect((await spoofedLogin(behindProxy, tenant.brandId, email, '10.9.8.1')).status).toBe(429);
      expect((await spoofedLogin(behindProxy, tenant.brandId, email, '10.9.8.2')).status).toBe(401);
    } finally {
      await behindProxy.stop();
    }
  });

  it('holds across API replicas: attempts through two processes share one count', async () => {
    const other = await startTestSystem({ env: { MONGODB_DB: system.settings.mongo.dbName } });
    try {
      const tenant = await newTenant(system);
      const email = `${uniqueId('target')}@example.com`;
      const through = (replica: typeof system) => login(replica, tenant.brandId, email, 'wrong password').then((response) => response.status);
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 10; attempt++) statuses.push(await through(attempt % 2 === 0 ? system : other));
      statuses.push(await through(other), await through(system));
      expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
    } finally {
      await other.stop();
    }
  });

  it('counts concurrent attempts on two replicas exactly: 10 get through, the rest are refused', async () => {
    const other = await startTestSystem({ env: { MONGODB_DB: system.settings.mongo.dbName } });
    try {
      const tenant = await newTenant(system);
      const email = `${uniqueId('target')}@example.com`;
      const statuses = await Promise.all(
        Array.from({ length: 16 }, (_, i) => login(i % 2 === 0 ? system : other, tenant.brandId, email, 'wrong password').then((response) => response.status)),
      );
      expect(statuses.filter((status) => status === 401)).toHaveLength(10);
      expect(statuses.filter((status) => status === 429)).toHaveLength(6);
    } finally {
      await other.stop();
    }
  });

  it('takes a lower limit through registerAuthRoutes\' options', async () => {
    const app = express();
    app.use(express.json());
    registerAuthRoutes(new ApiRoutes(app), createAccountDependencies(system.services.database.db, new BrandRepository(system.services.database.db)), {
      loginRateLimit: { limit: 2, windowMs: 60_000 },
    });
    app.use(errorHandler());
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/auth/login`;
      const attempt = async () => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ brandId: 'none', email: 'a@example.com', password: 'x' }) })).status;
      expect([await attempt(), await attempt(), await attempt()]).toEqual([401, 401, 429]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
