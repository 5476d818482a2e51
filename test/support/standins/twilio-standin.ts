import { randomBytes } from 'node:crypto';
import { startHttpStandin, type HttpStandin, type InjectedFailure, type RecordedRequest, type Reply } from './http-standin.js';
import { listMessages, resource, twilioError, type StoredMessage } from './twilio-resources.js';

/** A message the stand-in accepted, with the fields as Twilio parsed them. */
export interface TwilioSentMessage extends StoredMessage {
  statusCallback?: string;
}

export interface TwilioStandin extends Omit<HttpStandin, 'origin'> {
  /** Use as `baseUrl` (in place of https://api.twilio.com). */
  baseUrl: string;
  sent: TwilioSentMessage[];
  /** Registers credentials; with `numbers`, only those may be used as From (else any E.164 number). */
  addAccount(accountSid: string, authToken: string, numbers?: string[]): void;
}

export const twilioSid = (prefix: 'AC' | 'SM' | 'MM') => `${prefix}${randomBytes(16).toString('hex')}`;

const e164 = /^\+[1-9]\d{1,14}$/;
const messagesPath = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;

function injected(failure: InjectedFailure): Reply {
  const headers: Record<string, string> = failure.retryAfterSeconds === undefined ? {} : { 'retry-after': String(failure.retryAfterSeconds) };
  return twilioError(failure.status, failure.code ?? 20000 + failure.status, failure.message, headers);
}

const isWebUrl = (value: string) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);

/** Starts a Programmable Messaging API stand-in: create and list messages, as api.twilio.com checks them. */
export async function startTwilioStandin(options: { pageSize?: number } = {}): Promise<TwilioStandin> {
  const accounts = new Map<string, { authToken: string; numbers?: string[] }>();
  const sent: TwilioSentMessage[] = [];

  function authenticate(request: RecordedRequest): string | undefined {
    const match = /^Basic (.+)$/.exec(request.headers.authorization ?? '');
    if (!match?.[1]) return undefined;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const [sid = '', token] = decoded.split(/:(.*)/s);
    return accounts.get(sid)?.authToken === token ? sid : undefined;
  }

  function create(accountSid: string, request: RecordedRequest): Reply {
    const isForm = (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    const form = new URLSearchParams(isForm ? request.rawBody : '');
    const to = form.get('To');
    const from = form.get('From');
    const body = form.get('Body') ?? undefined;
    const mediaUrls = form.getAll('MediaUrl');
    const statusCallback = form.get('StatusCallback') ?? undefined;
    const numbers = accounts.get(accountSid)?.numbers;
    if (!to) return twilioError(400, 21604, "A 'To' phone number is required.");
    if (!from) return twilioError(400, 21603, "A 'From' phone number is required.");
    if (!body && mediaUrls.length === 0) return twilioError(400, 21602, 'Message body is required.');
    if (!e164.test(to)) return twilioError(400, 21211, `Invalid 'To' Phone Number: ${to}`);
    if (!e164.test(from)) return twilioError(400, 21212, `Invalid From Number (caller ID): ${from}`);
    if (numbers && !numbers.includes(from)) {
      return twilioError(400, 21606, `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`);
    }
    if (body && [...body].length > 1600) return twilioError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    if (statusCallback !== undefined && !isWebUrl(statusCallback)) return twilioError(400, 21609, 'Invalid StatusCallback url');
    if (mediaUrls.some((url) => !isWebUrl(url))) return twilioError(400, 21620, 'Invalid media URL(s)');

    const sid = twilioSid(mediaUrls.length > 0 ? 'MM' : 'SM');
    const message = { sid, accountSid, to, from, body: body ?? '', mediaUrls, statusCallback, dateCreated: new Date() };
    sent.push(message);
    // Answered as just queued; the list shows it dispatched (Twilio sets date_sent once it leaves the queue).
    return { status: 201, body: resource(message, 'queued') };
  }

  const server = await startHttpStandin({
    fail: injected,
    handle: (request) => {
      const match = messagesPath.exec(request.path);
      if (!match) return twilioError(404, 20404, `The requested resource ${request.path} was not found`);
      const accountSid = authenticate(request);
      if (!accountSid) return { ...twilioError(401, 20003), headers: { 'www-authenticate': 'Basic realm="Twilio API"' } };
      if (match[1] !== accountSid) return twilioError(404, 20404, `The requested resource ${request.path} was not found`);
      if (request.method === 'POST') return create(accountSid, request);
      if (request.method === 'GET') return listMessages(sent.filter((m) => m.accountSid === accountSid), request, options.pageSize);
      return twilioError(405, 20004, 'Method not allowed');
    },
  });
  return {
    ...server,
    baseUrl: server.origin,
    sent,
    addAccount: (accountSid, authToken, numbers) => void accounts.set(accountSid, { authToken, numbers }),
  };
}
