import { randomBytes } from 'node:crypto';
import { startTwilioStandin, twilioSid, type TwilioSentMessage, type TwilioStandin } from '../test/support/standins/twilio-standin.js';

export const BRAND_NUMBER = '+14155550100';
export const QUEUE = 'sales';

/** The running system as the bench drives it: its API, a brand with one Twilio number, and the Twilio stand-in it sends through. */
export interface BenchWorld {
  api: string;
  /** The URL Twilio signs (PUBLIC_BASE_URL). */
  publicBaseUrl: string;
  adminToken: string;
  brandId: string;
  accountSid: string;
  authToken: string;
  twilio: TwilioStandin;
}

export interface ApiAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked by status
  body: any;
}

/** A JSON request with a bearer token. */
export async function callApi(world: Pick<BenchWorld, 'api'>, method: string, path: string, token: string, body?: unknown): Promise<ApiAnswer> {
  const response = await fetch(`${world.api}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

export function startBenchTwilio() {
  return startTwilioStandin();
}

/** Creates the bench brand and its Twilio number (queue `sales`) through the admin API. */
export async function createBenchWorld(options: { api: string; publicBaseUrl: string; adminToken: string; twilio: TwilioStandin }): Promise<BenchWorld> {
  const accountSid = twilioSid('AC');
  const authToken = randomBytes(16).toString('hex');
  options.twilio.addAccount(accountSid, authToken, [BRAND_NUMBER]);
  const world = { ...options, brandId: 'bench', accountSid, authToken };
  const brand = await callApi(world, 'POST', '/api/v1/admin/brands', options.adminToken, { id: world.brandId, name: 'Bench', helpText: 'Bench support.' });
  const channel = await callApi(world, 'POST', `/api/v1/admin/brands/${world.brandId}/channels`, options.adminToken, {
    kind: 'twilio', accountSid, authToken, numbers: [{ phoneNumber: BRAND_NUMBER, queueId: QUEUE }],
  });
  if (brand.status !== 201 || channel.status !== 201) throw new Error(`bench brand setup failed: ${JSON.stringify([brand.body, channel.body])}`);
  return world;
}

type SendListener = (message: TwilioSentMessage, at: number) => void;
const sendListeners = new WeakMap<TwilioStandin, Set<SendListener>>();

/**
 * Calls `listener` (with performance.now()) for every message the Twilio stand-in accepts from now on.
 * The stand-in keeps them in a plain array and offers no callback, so its push is wrapped once.
 */
export function onTwilioSend(twilio: TwilioStandin, listener: SendListener): () => void {
  let listeners = sendListeners.get(twilio);
  if (!listeners) {
    const all = (listeners = new Set());
    sendListeners.set(twilio, all);
    const push = twilio.sent.push.bind(twilio.sent);
    twilio.sent.push = (...items: TwilioSentMessage[]) => {
      const at = performance.now();
      const length = push(...items);
      for (const item of items) for (const each of all) each(item, at);
      return length;
    };
  }
  listeners.add(listener);
  return () => void listeners.delete(listener);
}
