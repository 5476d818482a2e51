import { createHmac, randomBytes } from 'node:crypto';
import type { CommandStartedEvent } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Collections } from '../../../db/collections.js';
import { readJson } from '../../support/http.js';
import { testAdminToken } from '../../support/settings.js';
import { twilioSid } from '../../support/standins/twilio-standin.js';
import { BRAND_NUMBER, call, PAGE_ID, postTwilioWebhook, startConnectorWorld, type ConnectorWorld } from '../../support/connectors.js';

/** The app's own MongoClient, created with command monitoring: every lookup it sends is counted. */
const monitoredUri = () => {
  const uri = new URL(inject('mongoUri'));
  uri.searchParams.set('monitorCommands', 'true');
  return uri.toString();
};

let world: ConnectorWorld;
const commands: CommandStartedEvent[] = [];
beforeAll(async () => {
  world = await startConnectorWorld({ worker: false, env: { MONGODB_URI: monitoredUri() } });
  world.system.services.database.client.on('commandStarted', (event) => commands.push(event));
}, 60_000);
afterAll(() => world?.stop());

const directoryCollections = new Set<string>([Collections.entryPoints, Collections.channels, Collections.brands]);

/** Runs `request` and counts the finds it caused on the collections the channel directory reads, per collection. */
async function lookupsDuring<T>(request: () => Promise<T>) {
  const from = commands.length;
  const result = await request();
  const finds = commands.slice(from).filter((event) => event.commandName === 'find' && directoryCollections.has(String(event.command.find)));
  const count = (collection: string) => finds.filter((event) => event.command.find === collection).length;
  return { result, total: finds.length, entryPoints: count(Collections.entryPoints), channels: count(Collections.channels) };
}

const randomPageId = () => String(BigInt(`0x${randomBytes(8).toString('hex')}`)).padStart(20, '1').slice(0, 20);

/** A Messenger batch naming these pages, signed with a secret the caller chose (an attacker's). */
function forgedBatch(pageIds: string[]) {
  const raw = JSON.stringify({ object: 'page', entry: pageIds.map((id) => ({ id, time: Date.now(), messaging: [] })) });
  return fetch(`${world.system.url}/webhooks/facebook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', 'attacker').update(raw).digest('hex')}` },
    body: raw,
  });
}

const errorOf = async (response: Response) => {
  const { code, message, details } = (await readJson(response)).error;
  return { status: response.status, code, message, details };
};

describe('Messenger webhooks before the signature is checked', () => {
  it('look up a batch of 1,000 unknown pages in one query', async () => {
    const pageIds = Array.from({ length: 1_000 }, randomPageId);
    const { result, total } = await lookupsDuring(() => forgedBatch(pageIds));
    expect(result.status).toBe(403);
    expect(total).toBe(1);
  });

  it('look up a page id repeated 1,000 times once, and not again while it is remembered as unknown', async () => {
    const pageIds = Array.from({ length: 1_000 }, () => '4242424242');
    const first = await lookupsDuring(() => forgedBatch(pageIds));
    const again = await lookupsDuring(() => forgedBatch(pageIds));
    expect([first.result.status, again.result.status]).toEqual([403, 403]);
    expect([first.total, again.total]).toEqual([1, 0]);
  });

  it('keep no more unknown pages in memory than the directory\'s limit, and none as last-known', async () => {
    const { limits, entryPoints: before } = world.system.services.directory.cacheSizes();
    const requests = Math.ceil(limits.maxMissing / 1_000) + 1;
    for (let n = 0; n < requests; n++) expect((await forgedBatch(Array.from({ length: 1_000 }, randomPageId))).status).toBe(403);
    const { entryPoints } = world.system.services.directory.cacheSizes();
    expect(entryPoints.missing).toBeLessThanOrEqual(limits.maxMissing);
    expect(entryPoints.found).toBeLessThanOrEqual(limits.maxFound);
    expect(entryPoints.lastKnown).toBeLessThanOrEqual(before.lastKnown);
  });

  it('refuse a page id that is not numeric or longer than 20 digits with 400, without any lookup', async () => {
    for (const id of ['page-1', '1'.repeat(21), `${PAGE_ID} `]) {
      const { result, total } = await lookupsDuring(() => forgedBatch([id]));
      expect(result.status).toBe(400);
      expect(total).toBe(0);
    }
  });

  it('load only the first known page\'s channel when the signature is wrong', async () => {
    const other = await call(world, 'POST', `/api/v1/admin/brands/${world.brandId}/channels`, testAdminToken, {
      kind: 'facebook', pageId: randomPageId(), pageAccessToken: 'EAAB-other-page', appSecret: randomBytes(16).toString('hex'), verifyToken: `verify-${randomBytes(8).toString('hex')}`, queueId: 'support',
    });
    expect(other.status).toBe(201);
    const otherPageId = other.body.entryPoints[0].address as string;
    world.system.services.directory.invalidate();
    const batch = [...Array.from({ length: 998 }, randomPageId), PAGE_ID, otherPageId];
    const { result, entryPoints, channels } = await lookupsDuring(() => forgedBatch(batch));
    expect(result.status).toBe(403);
    expect([entryPoints, channels]).toEqual([1, 1]);
  });
});

describe('webhooks for entry points no channel has', () => {
  it('answer a Messenger batch of unknown pages exactly like a known page with a wrong signature', async () => {
    const unknown = await errorOf(await forgedBatch([randomPageId()]));
    const known = await errorOf(await forgedBatch([PAGE_ID]));
    expect(unknown).toEqual(known);
    expect(known).toMatchObject({ status: 403, code: 'invalid_signature' });
  });

  const sms = (to: string) => ({ MessageSid: twilioSid('SM'), AccountSid: world.accountSid, From: '+14155550187', To: to, Body: 'x', NumMedia: '0' });

  it('answer an SMS to an unknown number exactly like one to a known number with a wrong signature', async () => {
    const unknown = await errorOf(await postTwilioWebhook(world, '/webhooks/twilio', sms('+14155559999'), { signature: 'bm90IGEgc2lnbmF0dXJl' }));
    const known = await errorOf(await postTwilioWebhook(world, '/webhooks/twilio', sms(BRAND_NUMBER), { signature: 'bm90IGEgc2lnbmF0dXJl' }));
    expect(unknown).toEqual(known);
    expect(known).toMatchObject({ status: 403, code: 'invalid_signature' });
  });

  it('answer a status callback for an unknown channel exactly like one for a known channel with a wrong signature', async () => {
    const status = { MessageSid: twilioSid('SM'), AccountSid: world.accountSid, MessageStatus: 'delivered' };
    const callback = (channelId: string) =>
      postTwilioWebhook(world, `/webhooks/twilio/status?channelId=${channelId}&messageId=msg_1`, status, { signature: 'bm90IGEgc2lnbmF0dXJl' });
    const unknown = await errorOf(await callback('ch_00000000-0000-4000-8000-000000000000'));
    const known = await errorOf(await callback(world.twilioChannelId));
    expect(unknown).toEqual(known);
    expect(known).toMatchObject({ status: 403, code: 'invalid_signature' });
  });

  it('refuse an SMS whose To is not an E.164 number with 400, without any lookup', async () => {
    const { result, total } = await lookupsDuring(() => postTwilioWebhook(world, '/webhooks/twilio', sms(`+1${'4'.repeat(200)}`)));
    expect(result.status).toBe(400);
    expect(total).toBe(0);
  });
});
