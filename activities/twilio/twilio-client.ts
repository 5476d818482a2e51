import { Agent } from 'node:https';
import { parseRetryAfter } from '../delivery/retry-after.js';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import { twilioCredentialsError } from './twilio-errors.js';

// One keep-alive agent for every call: a RequestClient per call would otherwise open its own pool.
const sharedHttpsAgent = new Agent({ keepAlive: true, maxSockets: 20 });

/** Sends twilio's requests to `baseUrl` instead of https://api.twilio.com, keeping the path and query. */
class BaseUrlRequestClient extends twilio.RequestClient {
  constructor(
    private readonly baseUrl: URL,
    timeoutMs: number,
  ) {
    super({ timeout: timeoutMs });
    this.axios.defaults.httpsAgent = sharedHttpsAgent;
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const original = new URL(opts.uri);
    const target = new URL(this.baseUrl);
    target.pathname = `${target.pathname.replace(/\/$/, '')}${original.pathname}`;
    target.search = original.search;
    return super.request({ ...opts, uri: target.href });
  }

  /** Retry-After of the last response, in ms (seconds or an HTTP date, as RFC 9110 allows). */
  retryAfterMs(): number | undefined {
    return parseRetryAfter(this.lastResponse?.headers?.['retry-after']);
  }
}

export interface TwilioConnection {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  timeoutMs?: number;
}

/** A twilio client for one call (credentials differ per channel); `http` exposes the last response's Retry-After. */
export function createTwilioClient(connection: TwilioConnection) {
  if (!connection.accountSid.startsWith('AC') || connection.authToken === '') throw twilioCredentialsError();
  const http = new BaseUrlRequestClient(new URL(connection.baseUrl), connection.timeoutMs ?? 30_000);
  // logLevel pinned: TWILIO_LOG_LEVEL=debug in the environment would print phone numbers to stdout.
  const client = twilio(connection.accountSid, connection.authToken, { httpClient: http, autoRetry: false, logLevel: 'info' });
  return { client, http };
}
