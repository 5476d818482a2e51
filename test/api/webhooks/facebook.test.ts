import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson } from '../../support/http.js';
import {
  call, listConversations, messengerBatch, messengerText, PAGE_ID, postFacebookWebhook, startConnectorWorld, transcript, type ConnectorWorld,
} from '../../support/connectors.js';

let world: ConnectorWorld;
beforeAll(async () => {
  world = await startConnectorWorld();
}, 60_000);
afterAll(() => world?.stop());

const newPsid = () => String(BigInt(`0x${randomBytes(6).toString('hex')}`));
const DAY = 24 * 60 * 60 * 1000;

async function messengerConversations() {
  return (await listConversations(world)).filter((c) => c.channel === 'messenger');
}

/** Sends a text from a new person and returns their conversation once it exists. */
async function conversationWith(psid: string, text = 'hello', timestamp = Date.now()) {
  const before = new Set((await messengerConversations()).map((c) => c.id));
  const response = await postFacebookWebhook(world, messengerBatch([messengerText(psid, text, { timestamp })]));
  expect(response.status).toBe(200);
  let created: { id: string } | undefined;
  await expect
    .poll(async () => {
      created = (await messengerConversations()).find((c) => !before.has(c.id));
      return created !== undefined;
    }, { timeout: 15_000 })
    .toBe(true);
  return created!;
}

describe('Facebook subscription check', () => {
  it('echoes hub.challenge for a channel\'s verify token', async () => {
    const response = await fetch(`${world.system.url}/webhooks/facebook?hub.mode=subscribe&hub.verify_token=${world.verifyToken}&hub.challenge=1158201444`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('1158201444');
  });

  it('refuses an unknown verify token with 403', async () => {
    const response = await fetch(`${world.system.url}/webhooks/facebook?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
    expect(response.status).toBe(403);
  });
});

describe('Facebook webhook events', () => {
  it('answers EVENT_RECEIVED and the message appears in a Messenger conversation', async () => {
    const conversation = await conversationWith(newPsid(), 'Is my parcel coming today?');
    await expect.poll(async () => (await transcript(world, conversation.id)).map((m) => m.text)).toEqual(['Is my parcel coming today?']);
  });

  it('refuses a wrong or missing X-Hub-Signature-256 with 403', async () => {
    const batch = messengerBatch([messengerText(newPsid(), 'forged')]);
    const wrong = await postFacebookWebhook(world, batch, { appSecret: 'not-the-app-secret' });
    const missing = await postFacebookWebhook(world, batch, { signature: null });
    expect([wrong.status, missing.status]).toEqual([403, 403]);
    expect((await readJson(wrong)).error.code).toBe('invalid_signature');
  });

  it('handles a batch: several people, attachments and postbacks, each in its own conversation', async () => {
    const [alice, bob] = [newPsid(), newPsid()];
    const before = (await messengerConversations()).length;
    const response = await postFacebookWebhook(world, messengerBatch([
      messengerText(alice, 'photo incoming'),
      { sender: { id: alice }, recipient: { id: PAGE_ID }, timestamp: Date.now() + 1, message: { mid: `m_${randomBytes(8).toString('hex')}`, attachments: [{ type: 'image', payload: { url: 'https://cdn.example/receipt.jpg' } }] } },
      { sender: { id: bob }, recipient: { id: PAGE_ID }, timestamp: Date.now(), postback: { mid: `m_${randomBytes(8).toString('hex')}`, title: 'Track my order', payload: 'TRACK' } },
    ]));
    expect(response.status).toBe(200);
    await expect.poll(async () => (await messengerConversations()).length, { timeout: 15_000 }).toBe(before + 2);
    const all = await messengerConversations();
    const transcripts = await Promise.all(all.slice(0, 2).map((c) => transcript(world, c.id)));
    const flat = transcripts.flat();
    await expect.poll(async () => (await Promise.all(all.slice(0, 2).map((c) => transcript(world, c.id)))).flat().length, { timeout: 15_000 }).toBe(3);
    expect(flat.length).toBeGreaterThan(0);
    const messages = (await Promise.all(all.slice(0, 2).map((c) => transcript(world, c.id)))).flat();
    expect(messages.find((m) => m.kind === 'postback')?.text).toBe('Track my order');
    expect(messages.find((m) => m.attachments.length > 0)?.attachments).toEqual([{ type: 'image', url: 'https://cdn.example/receipt.jpg' }]);
  });

  it('masks card numbers typed in Messenger', async () => {
    const conversation = await conversationWith(newPsid(), 'my card: 5555555555554444');
    await expect.poll(async () => (await transcript(world, conversation.id))[0]?.text).toBe('my card: ************4444');
  });

  it('ignores echoes of our own sends and records replies typed in the Page inbox', async () => {
    const psid = newPsid();
    const conversation = await conversationWith(psid);
    const echo = (text: string, metadata?: string) => ({
      sender: { id: PAGE_ID }, recipient: { id: psid }, timestamp: Date.now(),
      message: { mid: `m_${randomBytes(8).toString('hex')}`, is_echo: true, text, ...(metadata ? { metadata } : {}) },
    });
    expect((await postFacebookWebhook(world, messengerBatch([echo('sent by Switchboard', 'msg_0000000000'), echo('typed in the Page inbox')]))).status).toBe(200);
    await expect
      .poll(async () => (await transcript(world, conversation.id)).map((m) => [m.direction, m.kind, m.text]), { timeout: 15_000 })
      .toEqual([['inbound', 'text', 'hello'], ['outbound', 'page_echo', 'typed in the Page inbox']]);
  });
});

describe('agent replies over Messenger', () => {
  it('are sent as RESPONSE within 24 h, once, and delivery and read receipts update them', async () => {
    const psid = newPsid();
    const conversation = await conversationWith(psid);
    const reply = await call(world, 'POST', `/api/v1/conversations/${conversation.id}/replies`, world.apiToken, { text: 'Yes, today by 6 pm' });
    expect(reply.status).toBe(202);
    await expect.poll(() => world.facebook.sent.filter((m) => m.recipientId === psid).length, { timeout: 15_000 }).toBe(1);
    const sent = world.facebook.sent.find((m) => m.recipientId === psid)!;
    expect(sent).toMatchObject({ pageId: PAGE_ID, messagingType: 'RESPONSE', text: 'Yes, today by 6 pm', metadata: reply.body.messageId });
    expect(sent.tag).toBeUndefined();

    const delivered = await postFacebookWebhook(world, messengerBatch([{ sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp: Date.now(), delivery: { mids: [sent.messageId], watermark: Date.now() } }]));
    expect(delivered.status).toBe(200);
    const status = async () => (await transcript(world, conversation.id)).find((m) => m.id === reply.body.messageId)?.status;
    await expect.poll(status, { timeout: 15_000 }).toBe('delivered');
    await postFacebookWebhook(world, messengerBatch([{ sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp: Date.now(), read: { watermark: Date.now() + 1000 } }]));
    await expect.poll(status, { timeout: 15_000 }).toBe('read');
  });

  it('use the HUMAN_AGENT tag between 24 h and 7 days after the person last wrote', async () => {
    const psid = newPsid();
    const conversation = await conversationWith(psid, 'old question', Date.now() - 2 * DAY);
    const reply = await call(world, 'POST', `/api/v1/conversations/${conversation.id}/replies`, world.apiToken, { text: 'Sorry for the wait' });
    expect(reply.status).toBe(202);
    await expect.poll(() => world.facebook.sent.filter((m) => m.recipientId === psid).map((m) => [m.messagingType, m.tag]), { timeout: 15_000 }).toEqual([
      ['MESSAGE_TAG', 'HUMAN_AGENT'],
    ]);
  });

  it('are refused with a clear reason more than 7 days after the person last wrote', async () => {
    const psid = newPsid();
    const conversation = await conversationWith(psid, 'ancient question', Date.now() - 8 * DAY);
    const reply = await call(world, 'POST', `/api/v1/conversations/${conversation.id}/replies`, world.apiToken, { text: 'hello?' });
    expect(reply.status).toBe(409);
    expect(reply.body.error).toMatchObject({ code: 'outside_messaging_window', message: expect.stringMatching(/7 days/) });
    expect(world.facebook.sent.filter((m) => m.recipientId === psid)).toHaveLength(0);
  });

  it('are marked failed with the reason when Graph refuses them for good (551)', async () => {
    const conversation = await conversationWith(newPsid());
    world.facebook.failNext({ status: 400, code: 551 });
    const reply = await call(world, 'POST', `/api/v1/conversations/${conversation.id}/replies`, world.apiToken, { text: 'anyone?' });
    await expect
      .poll(async () => (await transcript(world, conversation.id)).find((m) => m.id === reply.body.messageId)?.failure, { timeout: 15_000 })
      .toMatchObject({ code: 'facebook_551' });
  });
});
