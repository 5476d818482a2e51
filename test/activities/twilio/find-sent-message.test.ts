import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../activities/delivery/delivery-error.js';
import { findTwilioMessage, type FindTwilioMessageInput } from '../../../activities/twilio/find-sent-message.js';
import { sendTwilioMessage } from '../../../activities/twilio/send-message.js';
import { startTwilioStandin, twilioSid, type TwilioStandin } from '../../support/standins/twilio-standin.js';

const accountSid = twilioSid('AC');
const authToken = 'twilio-auth-token-find-0123456789';
const from = '+15005550006';
const statusCallback = 'https://gw.example.com/webhooks/twilio/status';

let standin: TwilioStandin;
let recipientCounter = 0;
beforeAll(async () => {
  standin = await startTwilioStandin({ pageSize: 2 });
  standin.addAccount(accountSid, authToken);
});
afterAll(() => standin?.close());

/** A fresh recipient per test, so tests do not see each other's messages. */
const newRecipient = () => `+4477009${String(++recipientCounter).padStart(5, '0')}`;
const connection = () => ({ baseUrl: standin.baseUrl, accountSid, authToken, from });
const sendTo = (to: string, body: string) => sendTwilioMessage({ ...connection(), to, body, statusCallback });
const find = (input: Partial<FindTwilioMessageInput> & Pick<FindTwilioMessageInput, 'to' | 'body'>) =>
  findTwilioMessage({ ...connection(), sentAfter: new Date(Date.now() - 60_000), ...input });

describe('findTwilioMessage', () => {
  it('lists the SID of a message sent with exactly this body', async () => {
    const to = newRecipient();
    const { providerMessageId } = await sendTo(to, 'Your code is ready');
    expect(await find({ to, body: 'Your code is ready' })).toEqual([providerMessageId]);
  });

  it('finds nothing when only messages with another body were sent', async () => {
    const to = newRecipient();
    await sendTo(to, 'Your code is ready');
    expect(await find({ to, body: 'Your code is ready.' })).toEqual([]);
  });

  it('finds nothing for messages to another recipient', async () => {
    const to = newRecipient();
    await sendTo(newRecipient(), 'Same words');
    expect(await find({ to, body: 'Same words' })).toEqual([]);
  });

  it('finds nothing sent before sentAfter', async () => {
    const to = newRecipient();
    await sendTo(to, 'Earlier');
    expect(await find({ to, body: 'Earlier', sentAfter: new Date(Date.now() + 2_000) })).toEqual([]);
  });

  it('asks Twilio for the messages between the two numbers, not filtered on DateSent (queued ones have none)', async () => {
    const to = newRecipient();
    await find({ to, body: 'anything', sentAfter: new Date('2026-03-04T05:06:07.890Z') });
    const request = standin.requests.at(-1)!;
    expect(request.method).toBe('GET');
    expect(request.path).toBe(`/2010-04-01/Accounts/${accountSid}/Messages.json`);
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`);
    expect(request.query.get('To')).toBe(to);
    expect(request.query.get('From')).toBe(from);
    expect(request.query.get('DateSent>')).toBeNull();
    expect(request.query.get('PageSize')).toBe('50');
  });

  it('finds the message among several to the same number', async () => {
    const to = newRecipient();
    const { providerMessageId } = await sendTo(to, 'The first one');
    await sendTo(to, 'Second');
    await sendTo(to, 'Third');
    expect(await find({ to, body: 'The first one' })).toEqual([providerMessageId]);
  });

  it('finds a message whose send timed out after Twilio had accepted it', async () => {
    const to = newRecipient();
    standin.delayNext(2_000);
    await expect(sendTwilioMessage({ ...connection(), to, body: 'Lost answer', statusCallback, timeoutMs: 200 })).rejects.toThrow(DeliveryError);
    expect(await find({ to, body: 'Lost answer' })).toEqual([standin.sent.at(-1)!.sid]);
  });

  it('lists every message with the same text, oldest first, so the caller can skip those already taken', async () => {
    const to = newRecipient();
    const first = (await sendTo(to, 'OK')).providerMessageId;
    const second = (await sendTo(to, 'OK')).providerMessageId;
    expect(await find({ to, body: 'OK' })).toEqual([first, second]);
  });

  it('fails with a permanent DeliveryError when Twilio rejects the credentials', async () => {
    await expect(find({ to: newRecipient(), body: 'x', authToken: 'wrong' })).rejects.toMatchObject({ code: '20003', retryable: false });
  });

  it('fails with a retryable DeliveryError when Twilio answers 500', async () => {
    standin.failNext({ status: 500 });
    await expect(find({ to: newRecipient(), body: 'x' })).rejects.toMatchObject({ provider: 'twilio', retryable: true, httpStatus: 500 });
  });
});
