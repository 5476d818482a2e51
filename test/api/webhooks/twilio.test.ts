import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson } from '../../support/http.js';
import { testAdminToken } from '../../support/settings.js';
import { twilioSid } from '../../support/standins/twilio-standin.js';
import { TWILIO_CONNECTION_OVERRIDES } from '../../../services/channels/twilio/connection-overrides.js';
import {
  BRAND_NUMBER, call, inboundSms, listConversations, postTwilioWebhook, startConnectorWorld, transcript, type ConnectorWorld,
} from '../../support/connectors.js';

let world: ConnectorWorld;
beforeAll(async () => {
  // Short provider timeout: the lost-answer test waits for it.
  world = await startConnectorWorld({ env: { PROVIDER_TIMEOUT_MS: '1500' } });
}, 60_000);
afterAll(() => world?.stop());

let consumerCounter = 0;
const newConsumer = () => `+1415555${String(1000 + ++consumerCounter).padStart(4, '0')}`;

async function conversationOf(consumerDisplaySuffix: string) {
  let found: { id: string; status: string } | undefined;
  await expect
    .poll(async () => {
      const conversations = await listConversations(world);
      const matches = await Promise.all(
        conversations.map(async (c) => ({ c, display: (await call(world, 'GET', `/api/v1/conversations/${c.id}`, world.apiToken)).body.consumer.display as string })),
      );
      found = matches.find((m) => m.display.endsWith(consumerDisplaySuffix) && m.c.status === 'open')?.c;
      return found !== undefined;
    }, { timeout: 15_000 })
    .toBe(true);
  return found!;
}

describe('Twilio inbound webhook', () => {
  it('answers empty TwiML and the SMS appears as a conversation with its transcript', async () => {
    const from = newConsumer();
    const response = await inboundSms(world, { from, body: 'Hi, where is my order?' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await response.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');

    const conversation = await conversationOf(from.slice(-4));
    await expect.poll(async () => (await transcript(world, conversation.id)).map((m) => [m.direction, m.text])).toEqual([['inbound', 'Hi, where is my order?']]);
  });

  it('masks a card number before it is stored or shown', async () => {
    const from = newConsumer();
    await inboundSms(world, { from, body: 'card 4111 1111 1111 1111 exp 12/29' });
    const conversation = await conversationOf(from.slice(-4));
    await expect.poll(async () => (await transcript(world, conversation.id))[0]?.text).toBe('card **** **** **** 1111 exp 12/29');
  });

  it('refuses a wrong, missing or other-URL signature with 403 and lets nothing in', async () => {
    const before = (await listConversations(world)).length;
    const params = { MessageSid: twilioSid('SM'), AccountSid: world.accountSid, From: newConsumer(), To: BRAND_NUMBER, Body: 'forged', NumMedia: '0' };
    const wrong = await postTwilioWebhook(world, '/webhooks/twilio', params, { signature: 'bm90IGEgc2lnbmF0dXJl' });
    const missing = await postTwilioWebhook(world, '/webhooks/twilio', params, { signature: null });
    const otherUrl = await postTwilioWebhook(world, '/webhooks/twilio', params, { signedUrl: 'https://attacker.example/webhooks/twilio' });
    for (const response of [wrong, missing, otherUrl]) {
      expect(response.status).toBe(403);
      expect((await readJson(response)).error.code).toBe('invalid_signature');
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await listConversations(world)).length).toBe(before);
  });

  it('accepts a signature over the URL the admin CLI prints, connection overrides (#rc=5&rp=all) included', async () => {
    const from = newConsumer();
    const params = { MessageSid: twilioSid('SM'), AccountSid: world.accountSid, From: from, To: BRAND_NUMBER, Body: 'signed with the fragment', NumMedia: '0' };
    const printed = `${world.system.settings.http.publicBaseUrl}/webhooks/twilio${TWILIO_CONNECTION_OVERRIDES}`;
    expect((await postTwilioWebhook(world, '/webhooks/twilio', params, { signedUrl: printed })).status).toBe(200);
    const otherFragment = await postTwilioWebhook(world, '/webhooks/twilio', { ...params, MessageSid: twilioSid('SM') }, { signedUrl: `${printed}&tt=1000` });
    expect(otherFragment.status).toBe(403);
    const conversation = await conversationOf(from.slice(-4));
    await expect.poll(async () => (await transcript(world, conversation.id)).map((m) => m.text)).toEqual(['signed with the fragment']);
  });

  it('answers 403 while the channel is disabled, and accepts again once it is enabled', async () => {
    const path = `/api/v1/admin/brands/${world.brandId}/channels/${world.twilioChannelId}`;
    expect((await call(world, 'PATCH', path, testAdminToken, { status: 'disabled' })).status).toBe(200);
    const refused = await inboundSms(world, { from: newConsumer(), body: 'anyone?' });
    expect(refused.status).toBe(403);
    expect((await readJson(refused)).error.code).toBe('channel_disabled');
    expect((await call(world, 'PATCH', path, testAdminToken, { status: 'active' })).status).toBe(200);
    expect((await inboundSms(world, { from: newConsumer(), body: 'anyone?' })).status).toBe(200);
  });

  it('answers a number no channel has like a wrong signature (403), so configured numbers cannot be probed', async () => {
    const response = await postTwilioWebhook(world, '/webhooks/twilio', {
      MessageSid: twilioSid('SM'), AccountSid: world.accountSid, From: newConsumer(), To: '+14155559999', Body: 'x', NumMedia: '0',
    });
    expect(response.status).toBe(403);
    expect((await readJson(response)).error.code).toBe('invalid_signature');
  });

  it('keeps exactly one transcript entry when Twilio delivers the same message 5 times at once', async () => {
    const from = newConsumer();
    const messageSid = twilioSid('SM');
    const responses = await Promise.all(Array.from({ length: 5 }, () => inboundSms(world, { from, body: 'only once', messageSid })));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const conversation = await conversationOf(from.slice(-4));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await transcript(world, conversation.id)).map((m) => m.text)).toEqual(['only once']);
  });
});

describe('agent replies over SMS', () => {
  it('reach Twilio exactly once, and the delivery status comes back', async () => {
    const from = newConsumer();
    await inboundSms(world, { from, body: 'hello?' });
    const conversation = await conversationOf(from.slice(-4));
    const reply = await call(world, 'POST', `/api/v1/conversations/${conversation.id}/replies`, world.apiToken, { text: 'Hello from Acme' });
    expect(reply.status).toBe(202);

    await expect.poll(() => world.twilio.sent.filter((m) => m.to === from).length, { timeout: 15_000 }).toBe(1);
    const sent = world.twilio.sent.find((m) => m.to === from)!;
    expect(sent).toMatchObject({ from: BRAND_NUMBER, body: 'Hello from Acme', accountSid: world.accountSid });
    const callback = new URL(sent.statusCallback!);
    expect(callback.pathname).toBe('/webhooks/twilio/status');
    expect(callback.searchParams.get('messageId')).toBe(reply.body.messageId);

    const status = await postTwilioWebhook(world, `${callback.pathname}${callback.search}`, {
      MessageSid: sent.sid, AccountSid: world.accountSid, MessageStatus: 'delivered', From: BRAND_NUMBER, To: from,
    });
    expect(status.status).toBe(204);
    await expect
      .poll(async () => (await transcript(world, conversation.id)).find((m) => m.id === reply.body.messageId)?.status, { timeout: 15_000 })
      .toBe('delivered');
    expect(world.twilio.sent.filter((m) => m.to === from)).toHaveLength(1);
  });

  it('are retried after 429 and 500, and still sent once', async () => {
    const from = newConsumer();
    await inboundSms(world, { from, body: 'retry me' });
    const conversation = await conversationOf(from.slice(-4));
    world.twilio.failNext({ status: 429, code: 20429, retryAfterSeconds: 1 });
    world.twilio.failNext({ status: 500 });
    const reply = await call(world, 'POST', `/api/v1/conversations/${conversation.id}/replies`, world.apiToken, { text: 'after a storm' });
    await expect
      .poll(async () => (await transcript(world, conversation.id)).find((m) => m.id === reply.body.messageId)?.status, { timeout: 30_000 })
      .toBe('queued');
    expect(world.twilio.sent.filter((m) => m.to === from)).toHaveLength(1);
  });

  it('are not sent twice when Twilio accepted one but its answer was lost', async () => {
    const from = newConsumer();
    await inboundSms(world, { from, body: 'lost answer' });
    const conversation = await conversationOf(from.slice(-4));
    world.twilio.delayNext(4_000);
    const reply = await call(world, 'POST', `/api/v1/conversations/${conversation.id}/replies`, world.apiToken, { text: 'exactly once please' });
    await expect
      .poll(async () => (await transcript(world, conversation.id)).find((m) => m.id === reply.body.messageId)?.status, { timeout: 20_000 })
      .toBe('queued');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(world.twilio.sent.filter((m) => m.to === from).map((m) => m.body)).toEqual(['exactly once please']);
  });

  it('are marked failed with a reason when Twilio refuses them for good (21211)', async () => {
    const from = newConsumer();
    await inboundSms(world, { from, body: 'bad number' });
    const conversation = await conversationOf(from.slice(-4));
    world.twilio.failNext({ status: 400, code: 21211 });
    const reply = await call(world, 'POST', `/api/v1/conversations/${conversation.id}/replies`, world.apiToken, { text: 'will fail' });
    await expect
      .poll(async () => (await transcript(world, conversation.id)).find((m) => m.id === reply.body.messageId)?.failure, { timeout: 15_000 })
      .toMatchObject({ code: 'twilio_21211' });
  });

  it('are refused with 409 once the conversation is closed; the next SMS opens a new conversation', async () => {
    const from = newConsumer();
    await inboundSms(world, { from, body: 'first' });
    const conversation = await conversationOf(from.slice(-4));
    const closed = await call(world, 'POST', `/api/v1/conversations/${conversation.id}/close`, world.apiToken, { reason: 'resolved' });
    expect(closed.status).toBe(200);
    const late = await call(world, 'POST', `/api/v1/conversations/${conversation.id}/replies`, world.apiToken, { text: 'too late' });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('conversation_closed');
    expect((await call(world, 'POST', `/api/v1/conversations/${conversation.id}/close`, world.apiToken, {})).status).toBe(409);

    await expect
      .poll(async () => (await call(world, 'GET', `/api/v1/conversations/${conversation.id}`, world.apiToken)).body.status, { timeout: 15_000 })
      .toBe('closed');
    await inboundSms(world, { from, body: 'second' });
    const next = await conversationOf(from.slice(-4));
    expect(next.id).not.toBe(conversation.id);
    await expect.poll(async () => (await transcript(world, next.id)).map((m) => m.text)).toEqual(['second']);
  });
});

describe('SMS opt-out', () => {
  it('STOP refuses replies with a clear reason and sends nothing; START allows them again', async () => {
    const from = newConsumer();
    await inboundSms(world, { from, body: 'hi' });
    const conversation = await conversationOf(from.slice(-4));
    await inboundSms(world, { from, body: 'STOP' });
    const optOuts = world.system.services.database.db.collection('opt_outs');
    await expect.poll(async () => (await optOuts.countDocuments({ brandId: world.brandId, optedOut: true, 'history.keyword': 'stop' })) > 0, { timeout: 15_000 }).toBe(true);
    const refused = await call(world, 'POST', `/api/v1/conversations/${conversation.id}/replies`, world.apiToken, { text: 'are you there?' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'consumer_opted_out', message: expect.stringMatching(/START/) });
    expect(world.twilio.sent.filter((m) => m.to === from)).toHaveLength(0);

    await inboundSms(world, { from, body: 'start' });
    await expect
      .poll(async () => (await call(world, 'POST', `/api/v1/conversations/${conversation.id}/replies`, world.apiToken, { text: 'welcome back' })).status, { timeout: 15_000 })
      .toBe(202);
    await expect.poll(() => world.twilio.sent.filter((m) => m.to === from).map((m) => m.body), { timeout: 15_000 }).toEqual(['welcome back']);
  });

  it('shows the opt-out on the conversation, so an agent sees it before writing', async () => {
    const from = newConsumer();
    await inboundSms(world, { from, body: 'hello' });
    const conversation = await conversationOf(from.slice(-4));
    const optedOut = async () => (await call(world, 'GET', `/api/v1/conversations/${conversation.id}`, world.apiToken)).body.optedOut;
    expect(await optedOut()).toBe(false);
    await inboundSms(world, { from, body: 'STOP' });
    await expect.poll(optedOut, { timeout: 15_000 }).toBe(true);
    await inboundSms(world, { from, body: 'START' });
    await expect.poll(optedOut, { timeout: 15_000 }).toBe(false);
  });

  it('HELP gets the brand\'s help text', async () => {
    const from = newConsumer();
    await inboundSms(world, { from, body: 'help' });
    await expect
      .poll(() => world.twilio.sent.filter((m) => m.to === from).map((m) => m.body), { timeout: 15_000 })
      .toEqual(['Acme support: reply here. STOP to opt out.']);
  });
});
