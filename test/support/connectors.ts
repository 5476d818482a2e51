import { expect } from 'vitest';
import { createHmac, randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { freePort } from '../../scripts/local-servers/index.js';
import { readJson } from './http.js';
import { testAdminToken } from './settings.js';
import { startFacebookStandin, type FacebookStandin } from './standins/facebook-standin.js';
import { startTwilioStandin, twilioSid, type TwilioStandin } from './standins/twilio-standin.js';
import { startTestSystem, type TestSystem } from './system.js';

export const BRAND_NUMBER = '+14155550100';
export const PAGE_ID = '1029384756';

export interface ConnectorWorld {
  system: TestSystem;
  twilio: TwilioStandin;
  facebook: FacebookStandin;
  brandId: string;
  apiToken: string;
  accountSid: string;
  authToken: string;
  appSecret: string;
  verifyToken: string;
  pageAccessToken: string;
  twilioChannelId: string;
  facebookChannelId: string;
  stop(): Promise<void>;
}

/** JSON request with a bearer token; returns status and parsed body. */
export async function call(world: Pick<ConnectorWorld, 'system'>, method: string, path: string, token: string, body?: unknown) {
  const response = await fetch(`${world.system.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: response.status === 204 ? undefined : await readJson(response) };
}

/**
 * The whole system (API + worker) on the run's real servers, provider
 * stand-ins on loopback, and one brand with a Twilio number and a Facebook page.
 */
export async function startConnectorWorld(options: { env?: Record<string, string>; worker?: boolean } = {}): Promise<ConnectorWorld> {
  const [twilioStandin, facebookStandin, port] = await Promise.all([startTwilioStandin(), startFacebookStandin(), freePort()]);
  const system = await startTestSystem({
    worker: options.worker ?? true,
    env: {
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      TWILIO_API_BASE_URL: twilioStandin.baseUrl,
      FACEBOOK_GRAPH_BASE_URL: facebookStandin.baseUrl,
      ...options.env,
    },
  });
  const accountSid = twilioSid('AC');
  const secrets = { authToken: randomBytes(16).toString('hex'), appSecret: randomBytes(16).toString('hex'), verifyToken: `verify-${randomBytes(8).toString('hex')}`, pageAccessToken: `EAAB${randomBytes(20).toString('hex')}` };
  twilioStandin.addAccount(accountSid, secrets.authToken, [BRAND_NUMBER]);
  facebookStandin.addPage(PAGE_ID, secrets.pageAccessToken);

  const world = { system } as ConnectorWorld;
  const brandId = `acme-${randomBytes(3).toString('hex')}`;
  const brand = await call(world, 'POST', '/api/v1/admin/brands', testAdminToken, { id: brandId, name: 'Acme', helpText: 'Acme support: reply here. STOP to opt out.' });
  const sms = await call(world, 'POST', `/api/v1/admin/brands/${brandId}/channels`, testAdminToken, {
    kind: 'twilio', accountSid, authToken: secrets.authToken, numbers: [{ phoneNumber: BRAND_NUMBER, queueId: 'sales' }],
  });
  const messenger = await call(world, 'POST', `/api/v1/admin/brands/${brandId}/channels`, testAdminToken, {
    kind: 'facebook', pageId: PAGE_ID, pageAccessToken: secrets.pageAccessToken, appSecret: secrets.appSecret, verifyToken: secrets.verifyToken, queueId: 'support',
  });
  if (brand.status !== 201 || sms.status !== 201 || messenger.status !== 201) {
    throw new Error(`world setup failed: ${JSON.stringify([brand.body, sms.body, messenger.body])}`);
  }
  return Object.assign(world, {
    twilio: twilioStandin,
    facebook: facebookStandin,
    brandId,
    apiToken: brand.body.apiToken as string,
    accountSid,
    ...secrets,
    twilioChannelId: sms.body.id as string,
    facebookChannelId: messenger.body.id as string,
    async stop() {
      await system.stop();
      await Promise.all([twilioStandin.close(), facebookStandin.close()]);
    },
  });
}

/** POSTs a form to our Twilio webhook, signed the way Twilio signs it (with twilio's own helper). */
export async function postTwilioWebhook(
  world: ConnectorWorld,
  path: string,
  params: Record<string, string>,
  options: { signature?: string | null; signedUrl?: string } = {},
) {
  const url = `${world.system.settings.http.publicBaseUrl}${path}`;
  const signature = options.signature === undefined ? twilio.getExpectedTwilioSignature(world.authToken, options.signedUrl ?? url, params) : options.signature;
  return fetch(`${world.system.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature === null ? {} : { 'x-twilio-signature': signature }) },
    body: new URLSearchParams(params).toString(),
  });
}

export function inboundSms(world: ConnectorWorld, input: { from: string; body: string; messageSid?: string }) {
  return postTwilioWebhook(world, '/webhooks/twilio', {
    MessageSid: input.messageSid ?? twilioSid('SM'),
    AccountSid: world.accountSid,
    From: input.from,
    To: BRAND_NUMBER,
    Body: input.body,
    NumMedia: '0',
  });
}

/** POSTs a Messenger webhook batch signed with the app secret (node:crypto), exactly over the bytes sent. */
export function postFacebookWebhook(world: ConnectorWorld, payload: unknown, options: { appSecret?: string; signature?: string | null } = {}) {
  const raw = JSON.stringify(payload);
  const signature =
    options.signature === undefined ? `sha256=${createHmac('sha256', options.appSecret ?? world.appSecret).update(raw).digest('hex')}` : options.signature;
  return fetch(`${world.system.url}/webhooks/facebook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-hub-signature-256': signature }) },
    body: raw,
  });
}

export const messengerBatch = (events: object[]) => ({ object: 'page', entry: [{ id: PAGE_ID, time: Date.now(), messaging: events }] });

export const messengerText = (psid: string, text: string, options: { mid?: string; timestamp?: number } = {}) => ({
  sender: { id: psid },
  recipient: { id: PAGE_ID },
  timestamp: options.timestamp ?? Date.now(),
  message: { mid: options.mid ?? `m_${randomBytes(12).toString('hex')}`, text },
});

/** Conversations of the world's brand, through the agent API. */
export async function listConversations(world: ConnectorWorld) {
  return (await call(world, 'GET', '/api/v1/conversations', world.apiToken)).body.items as { id: string; channel: string; status: string; consumer: { id: string } }[];
}

export async function transcript(world: ConnectorWorld, conversationId: string) {
  return (await call(world, 'GET', `/api/v1/conversations/${conversationId}/messages?limit=200`, world.apiToken)).body.items as {
    id: string; direction: string; kind: string; text?: string; status: string; failure?: { code: string; reason: string }; attachments: { type: string; url?: string }[];
  }[];
}

/** The consumer texts the brand; returns the id of their open conversation once the API lists it. */
export async function openSmsConversation(world: ConnectorWorld, from: string, options: { body?: string; timeoutMs?: number } = {}) {
  const response = await inboundSms(world, { from, body: options.body ?? 'hello' });
  if (response.status !== 200) throw new Error(`the webhook answered ${response.status}`);
  let id = '';
  await expect.poll(async () => {
    const views = await Promise.all((await listConversations(world)).map(async (c) => (await call(world, 'GET', `/api/v1/conversations/${c.id}`, world.apiToken)).body));
    id = views.find((v) => v.consumer.display.endsWith(from.slice(-4)) && v.status === 'open')?.id ?? '';
    return id;
  }, { timeout: options.timeoutMs ?? 15_000 }).not.toBe('');
  return id;
}
