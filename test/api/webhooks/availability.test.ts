import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../scripts/local-servers/index.js';
import { Collections } from '../../../db/collections.js';
import { readJson } from '../../support/http.js';
import { startPrivateDatabase } from '../../support/private-servers.js';
import {
  inboundSms, listConversations, messengerBatch, messengerText, postFacebookWebhook, startConnectorWorld, transcript, type ConnectorWorld,
} from '../../support/connectors.js';

const pendingInJournal = (world: ConnectorWorld) =>
  world.system.services.database.db.collection(Collections.inboundJournal).countDocuments({ status: 'pending' });

// The API runs, the database answers, but nothing listens where Temporal should be.
describe('webhooks while Temporal is down', () => {
  let world: ConnectorWorld;
  beforeAll(async () => {
    world = await startConnectorWorld({ worker: false, env: { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` } });
  }, 60_000);
  afterAll(() => world?.stop());

  it('answer 200 to Twilio: the message waits in the inbound journal, and /readyz counts it', async () => {
    const before = await pendingInJournal(world);
    const response = await inboundSms(world, { from: '+14155550142', body: 'is anyone there?' });
    expect(response.status).toBe(200);
    expect(await pendingInJournal(world)).toBe(before + 1);
    const ready = await fetch(`${world.system.url}/readyz`);
    expect(ready.status).toBe(503);
    expect((await readJson(ready)).inboundJournal.pending).toBeGreaterThanOrEqual(before + 1);
  });

  it('answer 200 to Facebook: every event of the batch waits in the journal', async () => {
    const before = await pendingInJournal(world);
    const psid = String(BigInt(`0x${randomBytes(5).toString('hex')}`));
    const response = await postFacebookWebhook(world, messengerBatch([messengerText(psid, 'hello'), messengerText(psid, 'anyone?')]));
    expect(response.status).toBe(200);
    expect(await pendingInJournal(world)).toBe(before + 2);
  });
});

describe('webhooks while the database is down', () => {
  it('answer 503 when the channel cannot be looked up (nothing verifies the signature)', async () => {
    const database = await startPrivateDatabase();
    const dbWorld = await startConnectorWorld({ worker: false, env: { MONGODB_URI: database.uri } });
    try {
      await database.kill();
      dbWorld.system.services.directory.invalidate();
      const response = await inboundSms(dbWorld, { from: '+14155550143', body: 'hello' });
      expect(response.status).toBe(503);
      expect((await readJson(response)).error.code).toBe('database_unavailable');
    } finally {
      await dbWorld.stop();
      await database.stop();
    }
  }, 60_000);

  it('hand the message to Temporal directly while Temporal answers, and it reaches the transcript once the database is back', async () => {
    const database = await startPrivateDatabase();
    const dbWorld = await startConnectorWorld({ env: { MONGODB_URI: database.uri } });
    try {
      const from = '+14155550144';
      expect((await inboundSms(dbWorld, { from, body: 'before the crash' })).status).toBe(200);
      await database.kill();
      // The channel as this process last read it: the signature is checked without the database.
      expect((await inboundSms(dbWorld, { from, body: 'during the crash' })).status).toBe(200);
      await database.restart();
      await expect
        .poll(async () => {
          const [conversation] = await listConversations(dbWorld);
          return conversation ? (await transcript(dbWorld, conversation.id)).map((m) => m.text) : [];
        }, { timeout: 45_000 })
        .toEqual(['before the crash', 'during the crash']);
    } finally {
      await dbWorld.stop();
      await database.stop();
    }
  }, 90_000);

  it('answer 503 only when Temporal is unreachable too', async () => {
    const database = await startPrivateDatabase();
    const dbWorld = await startConnectorWorld({
      worker: false,
      env: { MONGODB_URI: database.uri, TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`, INBOUND_JOURNAL_ACK_WAIT_MS: '0' },
    });
    try {
      const from = '+14155550145';
      expect((await inboundSms(dbWorld, { from, body: 'journaled' })).status).toBe(200);
      await database.kill();
      const started = Date.now();
      const response = await inboundSms(dbWorld, { from, body: 'nowhere to go' });
      expect(response.status).toBe(503);
      expect(Date.now() - started, 'answered before Twilio gives up (15 s)').toBeLessThan(12_000);
      expect((await readJson(response)).error.code).toBe('temporal_unavailable');
    } finally {
      await dbWorld.stop();
      await database.stop();
    }
  }, 60_000);
});
