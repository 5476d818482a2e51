import { randomBytes } from 'node:crypto';
import { startHttpStandin, type HttpStandin, type InjectedFailure, type RecordedRequest, type Reply } from './http-standin.js';
import { checkSendRequest, graphError, type SendRequest } from './facebook-send-checks.js';

/** A message the stand-in accepted, with the Send API fields as Graph parsed them. */
export interface FacebookSentMessage {
  pageId: string;
  recipientId: string;
  messagingType: string;
  tag?: string;
  text?: string;
  attachment?: { type: string; url: string; isReusable?: boolean };
  metadata?: string;
  messageId: string;
}

export interface FacebookStandin extends Omit<HttpStandin, 'origin'> {
  /** `http://127.0.0.1:<port>/<version>`: use as `baseUrl` (in place of https://graph.facebook.com/v21.0). */
  baseUrl: string;
  origin: string;
  sent: FacebookSentMessage[];
  addPage(pageId: string, pageAccessToken: string): void;
}

const defaultMessages: Record<number, string> = {
  551: 'This person isn\'t available right now.', 190: 'Invalid OAuth access token - Cannot parse access token',
  613: 'Calls to this api have exceeded the rate limit.', 4: 'Application request limit reached',
  10: 'This message is sent outside of allowed window.', 2: 'An unexpected error has occurred. Please retry your request later.',
};

function injected(failure: InjectedFailure): Reply {
  const code = failure.code ?? (failure.status >= 500 ? 2 : 100);
  const reply = graphError(failure.status, code, failure.message ?? defaultMessages[code] ?? 'Error', failure.subcode);
  return failure.retryAfterSeconds === undefined ? reply : { ...reply, headers: { 'retry-after': String(failure.retryAfterSeconds) } };
}

function token(request: RecordedRequest): string | undefined {
  return request.query.get('access_token') ?? /^(?:Bearer|OAuth) (.+)$/.exec(request.headers.authorization ?? '')?.[1];
}

function parseBody(request: RecordedRequest): unknown {
  if (!(request.headers['content-type'] ?? '').startsWith('application/json')) return {};
  try {
    return JSON.parse(request.rawBody);
  } catch {
    return undefined;
  }
}

/** Starts a Messenger Send API stand-in (`POST /<version>/me/messages`) that checks requests as Graph does. */
export async function startFacebookStandin(options: { version?: string } = {}): Promise<FacebookStandin> {
  const version = options.version ?? 'v21.0';
  const pages = new Map<string, string>(); // token → page id
  const sent: FacebookSentMessage[] = [];

  function send(pageId: string, request: SendRequest): Reply {
    const messageId = `m_${randomBytes(48).toString('base64url')}`;
    const { message } = request;
    const attachment = message.attachment && {
      type: message.attachment.type, url: message.attachment.payload.url, isReusable: message.attachment.payload.is_reusable,
    };
    sent.push({
      pageId, recipientId: request.recipient.id, messagingType: request.messaging_type, tag: request.tag,
      text: message.text, attachment, metadata: message.metadata, messageId,
    });
    return { status: 200, body: { recipient_id: request.recipient.id, message_id: messageId } };
  }

  const server = await startHttpStandin({
    fail: injected,
    handle: (request) => {
      if (request.path !== `/${version}/me/messages`) {
        return graphError(400, 2500, `Unknown path components: ${request.path.replace(/^\/[^/]+/, '')}`);
      }
      if (request.method !== 'POST') {
        return graphError(400, 100, `Unsupported ${request.method.toLowerCase()} request.`, 33, 'GraphMethodException');
      }
      const accessToken = token(request);
      if (!accessToken) return graphError(400, 2500, 'An active access token must be used to query information about the current user.');
      const pageId = pages.get(accessToken);
      if (!pageId) return graphError(400, 190, defaultMessages[190]!);
      const checked = checkSendRequest(parseBody(request));
      return 'status' in checked ? checked : send(pageId, checked);
    },
  });
  return {
    ...server,
    baseUrl: `${server.origin}/${version}`,
    sent,
    addPage: (pageId, pageAccessToken) => void pages.set(pageAccessToken, pageId),
  };
}
