import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort, startLocalDatabase } from '../../../scripts/local-servers/index.js';
import { readJson } from '../../support/http.js';
import { inboundSms, messengerBatch, messengerText, postFacebookWebhook, startConnectorWorld, type ConnectorWorld } from '../../support/connectors.js';

// The API runs, the database answers, but nothing listens where Temporal should be.
let world: ConnectorWorld;
beforeAll(async () => {
  world = await startConnectorWorld({ worker: false, env: { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` } });
}, 60_000);
afterAll(() => world?.stop());

describe('webhooks while Temporal is down', () => {
  it('answer 503 to Twilio, never 200 for an event they could not hand over', async () => {
    const response = await inboundSms(world, { from: '+14155550142', body: 'is anyone there?' });
    expect(response.status).toBe(503);
    expect((await readJson(response)).error.code).toBe('temporal_unavailable');
  });

  it('answer 503 to Facebook so it delivers the batch again', async () => {
    const response = await postFacebookWebhook(world, messengerBatch([messengerText(String(BigInt(`0x${randomBytes(5).toString('hex')}`)), 'hello')]));
    expect(response.status).toBe(503);
  });
});

describe('webhooks while the database is down', () => {
  it('answer 503 so the provider delivers again', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-dbdown-'));
    const database = await startLocalDatabase({ binaries: inject('binaries'), port: await freePort(), dataDir: path.join(dir, 'db'), logFile: path.join(dir, 'db.log') });
    const dbWorld = await startConnectorWorld({ worker: false, env: { MONGODB_URI: database.uri } });
    try {
      await database.stop();
      dbWorld.system.services.directory.invalidate();
      const response = await inboundSms(dbWorld, { from: '+14155550143', body: 'hello' });
      expect(response.status).toBe(503);
      expect((await readJson(response)).error.code).toBe('database_unavailable');
    } finally {
      await dbWorld.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
