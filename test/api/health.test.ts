import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { readJson } from '../support/http.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort, startLocalDatabase } from '../../scripts/local-servers/index.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

describe('health endpoints', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem();
  });
  afterAll(() => system?.stop());

  it('/healthz answers 200 while the process is up', async () => {
    const response = await fetch(`${system.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await readJson(response)).toEqual({ status: 'ok' });
  });

  it('/readyz answers 200 when Temporal and the database answer', async () => {
    const response = await fetch(`${system.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await readJson(response)).toMatchObject({ status: 'ready', checks: { temporal: { ok: true }, database: { ok: true } } });
  });
});

describe('/readyz when a server is down', () => {
  it('answers 503 naming the database once it stops, and 200 again when it is back', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-readyz-'));
    const port = await freePort();
    const start = () => startLocalDatabase({ binaries: inject('binaries'), port, dataDir: path.join(dir, 'db'), logFile: path.join(dir, 'db.log') });
    let database = await start();
    const system = await startTestSystem({ env: { MONGODB_URI: database.uri } });
    try {
      expect((await fetch(`${system.url}/readyz`)).status).toBe(200);

      await database.stop();
      const down = await fetch(`${system.url}/readyz`);
      expect(down.status).toBe(503);
      expect(await readJson(down)).toMatchObject({
        status: 'not_ready',
        checks: { temporal: { ok: true }, database: { ok: false, error: 'unreachable' } },
      });

      database = await start();
      await expect.poll(async () => (await fetch(`${system.url}/readyz`)).status, { timeout: 15_000 }).toBe(200);
    } finally {
      await system.stop();
      await database.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('answers 503 naming Temporal when its frontend does not answer', async () => {
    const system = await startTestSystem({ env: { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` } });
    try {
      const response = await fetch(`${system.url}/readyz`);
      expect(response.status).toBe(503);
      expect(await readJson(response)).toMatchObject({ checks: { temporal: { ok: false }, database: { ok: true } } });
    } finally {
      await system.stop();
    }
  });
});
