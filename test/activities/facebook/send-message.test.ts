import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../activities/delivery/delivery-error.js';
import { sendMessengerMessage, type SendMessengerMessageInput } from '../../../activities/facebook/send-message.js';
import { startFacebookStandin, type FacebookStandin } from '../../support/standins/facebook-standin.js';
import { refusedOrigin } from '../../support/standins/http-standin.js';

const pageId = '104857600123456';
const pageAccessToken = 'EAAGm0PX4ZCpsBAPageToken0123456789';
const recipientPsid = '6543210987654321';
const text = 'CANARY-messenger Your parcel is on its way';

let standin: FacebookStandin;
beforeAll(async () => {
  standin = await startFacebookStandin();
  standin.addPage(pageId, pageAccessToken);
});
afterAll(() => standin?.close());

const send = (overrides: Partial<SendMessengerMessageInput> = {}) =>
  sendMessengerMessage({
    baseUrl: standin.baseUrl, pageAccessToken, recipientPsid, text, messagingType: 'RESPONSE', metadata: 'sb:msg-1', ...overrides,
  });

async function deliveryError(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('sendMessengerMessage', () => {
  it('sends the text through the Send API and returns the message id', async () => {
    const result = await send();
    expect(result.providerMessageId).toMatch(/^m_[\w-]+$/);
    expect(standin.sent.at(-1)).toEqual({
      pageId, recipientId: recipientPsid, messagingType: 'RESPONSE', tag: undefined, text, attachment: undefined,
      metadata: 'sb:msg-1', messageId: result.providerMessageId,
    });
  });

  it('posts JSON to /me/messages with the page access token as the access_token parameter', async () => {
    await send();
    const request = standin.requests.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v21.0/me/messages');
    expect(request.query.get('access_token')).toBe(pageAccessToken);
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.rawBody)).toEqual({
      recipient: { id: recipientPsid }, messaging_type: 'RESPONSE', message: { text, metadata: 'sb:msg-1' },
    });
  });

  it('sends an attachment by URL, not reusable', async () => {
    await send({ text: undefined, attachment: { type: 'image', url: 'https://cdn.example.com/a.jpg' } });
    expect(JSON.parse(standin.requests.at(-1)!.rawBody).message).toEqual({
      attachment: { type: 'image', payload: { url: 'https://cdn.example.com/a.jpg', is_reusable: false } }, metadata: 'sb:msg-1',
    });
    expect(standin.sent.at(-1)).toMatchObject({ text: undefined, attachment: { type: 'image', url: 'https://cdn.example.com/a.jpg', isReusable: false } });
  });

  it('sends the HUMAN_AGENT tag with messaging_type MESSAGE_TAG', async () => {
    await send({ messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    expect(standin.sent.at(-1)).toMatchObject({ messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
  });

  it('refuses, without calling Facebook, a message with both text and an attachment', async () => {
    const before = standin.requests.length;
    const error = await deliveryError(send({ attachment: { type: 'file', url: 'https://cdn.example.com/a.pdf' } }));
    expect(error).toMatchObject({ code: 'invalid_message', retryable: false });
    expect(standin.requests.length).toBe(before);
  });

  it('fails permanently when the page access token is invalid or expired (190)', async () => {
    const error = await deliveryError(send({ pageAccessToken: 'EAAGexpired' }));
    expect(error).toMatchObject({
      provider: 'facebook', code: '190', retryable: false, httpStatus: 400,
      reason: 'The Page access token is invalid or expired: reconnect the page',
    });
  });

  it('fails permanently when the person is unavailable (551), without quoting them or the text', async () => {
    standin.failNext({ status: 400, code: 551, subcode: 1545041, message: `(#551) This person isn't available right now: ${recipientPsid}` });
    const error = await deliveryError(send());
    expect(error).toMatchObject({ code: '551', retryable: false });
    expect(`${error.message} ${error.reason} ${String(error.cause)}`).not.toMatch(new RegExp(`${recipientPsid}|CANARY`));
  });

  it("fails permanently outside Messenger's messaging window (10 / 2018278)", async () => {
    standin.failNext({ status: 400, code: 10, subcode: 2018278 });
    const error = await deliveryError(send());
    expect(error).toMatchObject({ code: '10', retryable: false, reason: "Outside Messenger's messaging window" });
  });

  it('fails permanently when Facebook rejects a parameter (100)', async () => {
    const error = await deliveryError(send({ text: 'x'.repeat(2001) }));
    expect(error).toMatchObject({ code: '100', retryable: false, httpStatus: 400 });
  });

  it.each([200, 230])('fails permanently when the page lacks the permission (%i)', async (code) => {
    standin.failNext({ status: 403, code });
    const error = await deliveryError(send());
    expect(error).toMatchObject({ code: String(code), retryable: false, reason: expect.stringContaining('reconnect the page') });
  });

  it('fails permanently on any other 4xx', async () => {
    standin.failNext({ status: 400, code: 368 });
    expect(await deliveryError(send())).toMatchObject({ code: '368', retryable: false, httpStatus: 400 });
  });

  it.each([4, 17, 32, 613])('is retryable when Facebook rate-limits (%i), even though it answers 400', async (code) => {
    standin.failNext({ status: 400, code });
    expect(await deliveryError(send())).toMatchObject({ code: String(code), retryable: true, retryAfterMs: undefined });
  });

  it('waits as long as Retry-After says when rate-limited', async () => {
    standin.failNext({ status: 429, code: 613, retryAfterSeconds: 12 });
    expect(await deliveryError(send())).toMatchObject({ retryable: true, retryAfterMs: 12_000 });
  });

  it.each([1, 2])('is retryable on a temporary Graph error (%i)', async (code) => {
    standin.failNext({ status: 400, code });
    expect(await deliveryError(send())).toMatchObject({ code: String(code), retryable: true });
  });

  it('is retryable when Facebook answers 500', async () => {
    standin.failNext({ status: 500, code: 100 });
    expect(await deliveryError(send())).toMatchObject({ retryable: true, httpStatus: 500 });
  });

  it('is retryable when the connection is refused', async () => {
    const error = await deliveryError(send({ baseUrl: `${await refusedOrigin()}/v21.0` }));
    expect(error).toMatchObject({ code: 'network', retryable: true });
    expect(error.reason).toContain('ECONNREFUSED');
  });

  it('is retryable when Facebook does not answer within timeoutMs', async () => {
    standin.delayNext(3_000);
    const started = Date.now();
    expect(await deliveryError(send({ timeoutMs: 300 }))).toMatchObject({ code: 'timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(2_500);
  });
});
