import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../scripts/local-servers/index.js';
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
