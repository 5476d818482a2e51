import { DeliveryError } from '../delivery/delivery-error.js';
import { fetchFailure, graphDeliveryError, parseRetryAfter, type GraphError } from './graph-errors.js';

export interface SendMessengerMessageInput {
  /** Graph API root with its version, e.g. `https://graph.facebook.com/v21.0`. */
  baseUrl: string;
  pageAccessToken: string;
  recipientPsid: string;
  /** Exactly one of `text` and `attachment`: Messenger sends them as separate messages. */
  text?: string;
  attachment?: { type: 'image' | 'audio' | 'video' | 'file'; url: string };
  messagingType: 'RESPONSE' | 'MESSAGE_TAG';
  tag?: 'HUMAN_AGENT';
  /** Echoed back in the message_echoes webhook: lets us recognise our own sends. */
  metadata: string;
  timeoutMs?: number;
}

function messageOf(input: SendMessengerMessageInput) {
  if (input.text !== undefined && !input.attachment) return { text: input.text, metadata: input.metadata };
  if (input.attachment && input.text === undefined) {
    const { type, url } = input.attachment;
    return { attachment: { type, payload: { url, is_reusable: false } }, metadata: input.metadata };
  }
  throw new DeliveryError({
    provider: 'facebook',
    code: 'invalid_message',
    reason: 'A Messenger message carries either text or one attachment',
    retryable: false,
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // e.g. a proxy's HTML error page
  }
}

/** Sends one message through the Messenger Send API. Throws DeliveryError (see graph-errors.ts) on failure. */
export async function sendMessengerMessage(input: SendMessengerMessageInput): Promise<{ providerMessageId: string }> {
  const url = new URL(`${input.baseUrl.replace(/\/$/, '')}/me/messages`);
  url.searchParams.set('access_token', input.pageAccessToken);
  const body = {
    recipient: { id: input.recipientPsid },
    messaging_type: input.messagingType,
    ...(input.tag === undefined ? {} : { tag: input.tag }),
    message: messageOf(input),
  };
  let response: Response;
  let raw: string;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(input.timeoutMs ?? 30_000),
    });
    raw = await response.text();
  } catch (error) {
    throw fetchFailure(error);
  }
  const payload = parseJson(raw);
  if (!response.ok) {
    const error = (payload as { error?: GraphError } | undefined)?.error;
    throw graphDeliveryError(response.status, error, parseRetryAfter(response.headers.get('retry-after')));
  }
  const messageId = (payload as { message_id?: unknown } | undefined)?.message_id;
  if (typeof messageId !== 'string' || messageId === '') {
    throw new DeliveryError({ provider: 'facebook', code: 'bad_response', reason: 'Facebook answered without a message id', retryable: true });
  }
  return { providerMessageId: messageId };
}
