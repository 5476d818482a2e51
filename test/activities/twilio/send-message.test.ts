import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../activities/delivery/delivery-error.js';
import { sendTwilioMessage, type SendTwilioMessageInput } from '../../../activities/twilio/send-message.js';
import { refusedOrigin } from '../../support/standins/http-standin.js';
import { startTwilioStandin, twilioSid, type TwilioStandin } from '../../support/standins/twilio-standin.js';

const accountSid = twilioSid('AC');
const authToken = 'twilio-auth-token-0123456789abcdef';
const from = '+15005550006';
const to = '+447700900123';
const text = 'CANARY-sms Your parcel is on its way';

let standin: TwilioStandin;
beforeAll(async () => {
  standin = await startTwilioStandin();
  standin.addAccount(accountSid, authToken, [from]);
});
afterAll(() => standin?.close());

const send = (overrides: Partial<SendTwilioMessageInput> = {}) =>
  sendTwilioMessage({
    baseUrl: standin.baseUrl, accountSid, authToken, from, to, body: text,
    statusCallback: 'https://gw.example.com/webhooks/twilio/status?channel=ch-1', ...overrides,
  });

async function deliveryError(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('sendTwilioMessage', () => {
  it('creates the message at Twilio and returns its SID and status', async () => {
    const result = await send();
    expect(result).toEqual({ providerMessageId: expect.stringMatching(/^SM[0-9a-f]{32}$/), status: 'queued' });
    expect(standin.sent.at(-1)).toMatchObject({
      sid: result.providerMessageId, accountSid, to, from, body: text, mediaUrls: [],
      statusCallback: 'https://gw.example.com/webhooks/twilio/status?channel=ch-1',
    });
  });

  it("posts a form to the account's Messages resource with HTTP Basic auth of the account SID and auth token", async () => {
    await send();
    const request = standin.requests.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/2010-04-01/Accounts/${accountSid}/Messages.json`);
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`);
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request.rawBody))).toEqual({
      To: to, From: from, Body: text, StatusCallback: 'https://gw.example.com/webhooks/twilio/status?channel=ch-1',
    });
  });

  it('sends each media URL as a repeated MediaUrl parameter and gets an MMS SID', async () => {
    const mediaUrls = ['https://cdn.example.com/a.jpg', 'https://cdn.example.com/b.png'];
    const result = await send({ body: undefined, mediaUrls });
    expect(result.providerMessageId).toMatch(/^MM[0-9a-f]{32}$/);
    expect(new URLSearchParams(standin.requests.at(-1)!.rawBody).getAll('MediaUrl')).toEqual(mediaUrls);
    expect(standin.sent.at(-1)).toMatchObject({ body: '', mediaUrls });
  });

  it('fails permanently when the consumer has opted out (21610), without quoting their number or the text', async () => {
    standin.failNext({ status: 400, code: 21610, message: `Attempt to send to unsubscribed recipient ${to}` });
    const error = await deliveryError(send());
    expect(error).toMatchObject({
      provider: 'twilio', code: '21610', retryable: false, httpStatus: 400,
      reason: 'The consumer has opted out (replied STOP) of messages from this number',
    });
    expect(`${error.message} ${error.reason} ${String(error.cause)}`).not.toMatch(/447700900123|CANARY/);
  });

  it('fails permanently when the To number is not a valid phone number (21211)', async () => {
    const error = await deliveryError(send({ to: '07700 900123' }));
    expect(error).toMatchObject({ code: '21211', retryable: false, reason: "The recipient's number is not a valid phone number" });
    expect(error.message).not.toContain('07700');
  });

  it.each([21612, 21408, 21614])('fails permanently when Twilio cannot route to the recipient (%i)', async (code) => {
    standin.failNext({ status: 400, code });
    const error = await deliveryError(send());
    expect(error).toMatchObject({ code: String(code), retryable: false });
    expect(error.reason).not.toMatch(/docs\/errors/); // a specific reason, not the generic one
  });

  it('fails permanently when Twilio rejects the credentials (20003)', async () => {
    const error = await deliveryError(send({ authToken: 'wrong-token' }));
    expect(error).toMatchObject({
      code: '20003', retryable: false, httpStatus: 401,
      reason: 'Twilio rejected the account credentials: fix them in the channel settings',
    });
  });

  it('fails permanently, without calling Twilio, when the account SID is not an account SID', async () => {
    const before = standin.requests.length;
    const error = await deliveryError(send({ accountSid: 'SK0123' }));
    expect(error).toMatchObject({ code: '20003', retryable: false });
    expect(standin.requests.length).toBe(before);
  });

  it('fails permanently when From is not a number of this account (21606)', async () => {
    const error = await deliveryError(send({ from: '+15005550001' }));
    expect(error).toMatchObject({ code: '21606', retryable: false });
    expect(error.reason).not.toContain('+1500');
  });

  it("fails permanently on any other 4xx, pointing to Twilio's page for the code", async () => {
    const error = await deliveryError(send({ body: 'x'.repeat(1601) }));
    expect(error).toMatchObject({ code: '21617', retryable: false, httpStatus: 400 });
    expect(error.reason).toContain('https://www.twilio.com/docs/errors/21617');
  });

  it('is retryable on 429, waiting as long as Retry-After says, and does not retry by itself', async () => {
    standin.failNext({ status: 429, code: 20429, retryAfterSeconds: 7 });
    const before = standin.requests.length;
    const error = await deliveryError(send());
    expect(error).toMatchObject({ code: '20429', retryable: true, retryAfterMs: 7000, httpStatus: 429 });
    expect(standin.requests.length).toBe(before + 1);
  });

  it('is retryable on 429 without a Retry-After, leaving the delay to the retry policy', async () => {
    standin.failNext({ status: 429, code: 20429 });
    const error = await deliveryError(send());
    expect(error).toMatchObject({ retryable: true, retryAfterMs: undefined });
  });

  it.each([500, 503])('is retryable when Twilio answers %i', async (status) => {
    standin.failNext({ status });
    const error = await deliveryError(send());
    expect(error).toMatchObject({ retryable: true, httpStatus: status });
  });

  it('is retryable when the connection is refused', async () => {
    const error = await deliveryError(send({ baseUrl: await refusedOrigin() }));
    expect(error).toMatchObject({ code: 'network', retryable: true });
    expect(error.reason).toContain('ECONNREFUSED');
  });

  it('is retryable when Twilio does not answer within timeoutMs', async () => {
    standin.delayNext(3_000);
    const started = Date.now();
    const error = await deliveryError(send({ timeoutMs: 300 }));
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(2_500);
  });
});
