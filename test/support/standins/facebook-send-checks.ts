import { randomBytes } from 'node:crypto';
import type { Reply } from './http-standin.js';

/** A Send API request body that passed the checks. */
export interface SendRequest {
  recipient: { id: string };
  messaging_type: string;
  tag?: string;
  message: {
    text?: string;
    attachment?: { type: string; payload: { url: string; is_reusable?: boolean } };
    metadata?: string;
  };
}

/** Graph's error body: `{ error: { message, type, code, error_subcode, fbtrace_id } }`. */
export function graphError(status: number, code: number, message: string, subcode?: number, type = 'OAuthException'): Reply {
  const fbtrace_id = randomBytes(8).toString('base64url');
  const error = { message, type, code, ...(subcode === undefined ? {} : { error_subcode: subcode }), fbtrace_id };
  const challenge = `OAuth "Facebook Platform" "invalid_request" "${message}"`;
  return { status, body: { error }, headers: type === 'OAuthException' ? { 'www-authenticate': challenge } : {} };
}

const invalid = (message: string, subcode?: number) => graphError(400, 100, `(#100) ${message}`, subcode);

const messagingTypes = ['RESPONSE', 'UPDATE', 'MESSAGE_TAG'];
const tags = ['CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE', 'ACCOUNT_UPDATE', 'HUMAN_AGENT'];
const attachmentTypes = ['image', 'audio', 'video', 'file'];
const length = (text: string) => [...text].length;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks the body of `POST /me/messages` as the Send API does; answers its error or the request. */
export function checkSendRequest(body: unknown): SendRequest | Reply {
  if (body === undefined) return invalid('Invalid JSON in request body');
  if (!isObject(body)) return invalid('The parameter recipient is required');
  const { recipient, messaging_type: type, tag, message } = body;
  if (!isObject(recipient) || typeof recipient.id !== 'string' || recipient.id === '') return invalid('The parameter recipient is required');
  if (!/^\d+$/.test(recipient.id)) return invalid('No matching user found', 2018001);
  if (typeof type !== 'string' || !messagingTypes.includes(type)) {
    return invalid(`Param messaging_type must be one of {${messagingTypes.join(', ')}} - got "${String(type)}"`);
  }
  if (type === 'MESSAGE_TAG' && tag === undefined) return invalid('Param tag is required for messaging_type MESSAGE_TAG');
  if (type !== 'MESSAGE_TAG' && tag !== undefined) return invalid('Param tag is only allowed with messaging_type MESSAGE_TAG');
  if (tag !== undefined && (typeof tag !== 'string' || !tags.includes(tag))) return invalid(`Param tag must be one of {${tags.join(', ')}}`);
  if (!isObject(message)) return invalid('The parameter message is required');
  const { text, attachment, metadata } = message;
  if ((text === undefined) === (attachment === undefined)) return invalid('Message must contain exactly one of text or attachment');
  if (text !== undefined && (typeof text !== 'string' || text === '')) return invalid('Param message[text] must be a non-empty UTF-8 encoded string');
  if (typeof text === 'string' && length(text) > 2000) return invalid('Length of param message[text] must be less than or equal to 2000');
  if (metadata !== undefined && (typeof metadata !== 'string' || length(metadata) > 1000)) {
    return invalid('Length of param message[metadata] must be less than or equal to 1000');
  }
  if (attachment !== undefined) {
    if (!isObject(attachment) || typeof attachment.type !== 'string' || !attachmentTypes.includes(attachment.type)) {
      return invalid(`Param message[attachment][type] must be one of {${attachmentTypes.join(', ')}}`);
    }
    const payload = attachment.payload;
    if (!isObject(payload) || typeof payload.url !== 'string' || !URL.canParse(payload.url) || !/^https?:$/.test(new URL(payload.url).protocol)) {
      return invalid('Param message[attachment][payload][url] must be a valid URL');
    }
  }
  return body as unknown as SendRequest;
}
