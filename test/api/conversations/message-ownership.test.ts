import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMessageView } from '../../../api/use-cases/conversations/views.js';
import type { MessageDocument } from '../../../db/repositories/messages.js';
import { messageStatusWorkflowId } from '../../../temporal/workflow-ids.js';
import {
  call, openSmsConversation, PAGE_ID, postFacebookWebhook, postTwilioWebhook, startConnectorWorld, type ConnectorWorld,
} from '../../support/connectors.js';
import { startOtherBrand, type OtherBrand } from '../../support/isolation.js';
import { twilioSid } from '../../support/standins/twilio-standin.js';
import { waitFor } from '../../support/wait-for.js';

/**
 * Message ids are the storage key of every message of every brand: brand A must not reach brand B's
 * messages by naming their ids (in a reply, a status callback or a Messenger receipt), nor open their
 * text when a ciphertext of B's lands on a message of A's.
 */
let world: ConnectorWorld;
let b: OtherBrand;
const bConsumer = '+14155553201';
beforeAll(async () => {
  // Provider outages in seconds rather than hours: the same policy, its clock scaled down.
  world = await startConnectorWorld({ env: { DELIVERY_RETRY_INITIAL_MS: '300', DELIVERY_RETRY_MAX_MS: '1000', DELIVERY_RETRY_HORIZON_MINUTES: '0.5' } });
  b = await startOtherBrand(world, bConsumer);
}, 120_000);
afterAll(() => world?.stop());

let phone = 0;
const newConsumer = () => `+1415553${String(3000 + ++phone).padStart(4, '0')}`;
const messages = () => world.system.services.database.db.collection<MessageDocument>('messages');

interface MessageView { id: string; text?: string; status: string; statusHistory: { status: string }[] }
const reply = (token: string, conversationId: string, body: { text: string; messageId?: string }) =>
  call(world, 'POST', `/api/v1/conversations/${conversationId}/replies`, token, body);
const messageOf = async (token: string, conversationId: string, messageId: string) =>
  ((await call(world, 'GET', `/api/v1/conversations/${conversationId}/messages?limit=200`, token)).body.items as MessageView[]).find((m) => m.id === messageId);

/** A reply of B's that has gone out to B's consumer (queued at Twilio), with its Twilio sid. */
async function sentReplyOfB(text: string) {
  const sent = await reply(b.apiToken, b.conversation.id, { text });
  expect(sent.status).toBe(202);
  const messageId = sent.body.messageId as string;
  await expect.poll(async () => (await messageOf(b.apiToken, b.conversation.id, messageId))?.status, { timeout: 15_000 }).toBe('queued');
  const providerMessageId = (await messages().findOne({ _id: messageId }))!.providerMessageId!;
  return { messageId, providerMessageId, before: (await messageOf(b.apiToken, b.conversation.id, messageId))! };
}

/** What a provider status event recorded, once its workflow has run (the number of messages it changed). */
async function recordedBy(workflowId: string): Promise<number> {
  const handle = world.system.services.temporal.client.workflow.getHandle(workflowId);
  await waitFor(() => handle.describe().then(() => true, () => false), (exists) => exists);
  return handle.result() as Promise<number>;
}

describe('message ids of another brand', () => {
  it('refuse a reply whose id a waiting reply of another brand holds: 409 message_id_taken, and that brand\'s consumer gets only its own text', async () => {
    const messageId = `msg_${randomUUID()}`;
    const aConversation = await openSmsConversation(world, newConsumer());
    const down = world.twilio.failUntilHealed({ status: 500, message: 'Internal Server Error' });
    try {
      expect((await reply(b.apiToken, b.conversation.id, { text: 'Globex: your order shipped', messageId })).status).toBe(202);
      await expect.poll(async () => (await messageOf(b.apiToken, b.conversation.id, messageId))?.status, { timeout: 15_000 }).toBe('retrying');

      const taken = await reply(world.apiToken, aConversation, { text: 'Acme: pay at evil.example', messageId });
      expect(taken.status).toBe(409);
      expect(taken.body.error.code).toBe('message_id_taken');
    } finally {
      down.heal();
    }
    await expect.poll(async () => (await messageOf(b.apiToken, b.conversation.id, messageId))?.status, { timeout: 15_000 }).toBe('queued');
    expect(world.twilio.sent.filter((m) => m.to === bConsumer).map((m) => m.body)).toContain('Globex: your order shipped');
    expect(world.twilio.sent.map((m) => m.body)).not.toContain('Acme: pay at evil.example');
    expect((await messageOf(b.apiToken, b.conversation.id, messageId))?.text).toBe('Globex: your order shipped');
  });

  it('are not touched by a Twilio status callback of another brand\'s channel naming them', async () => {
    const target = await sentReplyOfB('Globex: delivery status of mine');
    const sid = twilioSid('SM');
    // Signed with A's own auth token for A's own channel: genuine as far as A's credentials go.
    const forged = await postTwilioWebhook(world, `/webhooks/twilio/status?channelId=${encodeURIComponent(world.twilioChannelId)}&messageId=${encodeURIComponent(target.messageId)}`, {
      MessageSid: sid, AccountSid: world.accountSid, MessageStatus: 'undelivered', ErrorCode: '30005',
    });
    expect(forged.status).toBe(204);
    expect(await recordedBy(messageStatusWorkflowId({ provider: 'twilio', eventKey: `${world.twilioChannelId}:${sid}`, status: 'undelivered' }))).toBe(0);
    expect(await messageOf(b.apiToken, b.conversation.id, target.messageId)).toEqual(target.before);
  });

  it('are not touched by a Messenger delivery receipt of another brand\'s page naming their provider ids', async () => {
    const target = await sentReplyOfB('Globex: is this delivered?');
    const mids = [target.providerMessageId];
    const receipt = { sender: { id: '7788990011' }, recipient: { id: PAGE_ID }, timestamp: Date.now(), delivery: { mids, watermark: Date.now() } };
    const response = await postFacebookWebhook(world, { object: 'page', entry: [{ id: PAGE_ID, time: Date.now(), messaging: [receipt] }] });
    expect(response.status).toBe(200);
    const eventKey = createHash('sha256').update(`${world.facebookChannelId}|${mids.join(',')}`).digest('base64url').slice(0, 32);
    expect(await recordedBy(messageStatusWorkflowId({ provider: 'facebook', eventKey, status: 'delivered' }))).toBe(0);
    expect(await messageOf(b.apiToken, b.conversation.id, target.messageId)).toEqual(target.before);
  });

  it('do not carry their text: a ciphertext of another brand copied onto a message with the same id does not open', async () => {
    const secret = `Globex private ${randomBytes(4).toString('hex')}`;
    const original = await sentReplyOfB(secret);
    const sealed = (await messages().findOne({ _id: original.messageId }))!.text!;
    // The id is free again (the message was erased) and A takes it for a reply of its own.
    await messages().deleteOne({ _id: original.messageId });
    const aConversation = await openSmsConversation(world, newConsumer());
    expect((await reply(world.apiToken, aConversation, { text: 'Acme: hello', messageId: original.messageId })).status).toBe(202);
    const mine = await waitFor(() => messages().findOne({ _id: original.messageId }), (doc) => doc?.conversationId === aConversation && doc.status === 'queued');
    const { fields } = world.system.services;
    expect(toMessageView(fields, mine!).text).toBe('Acme: hello');

    await messages().updateOne({ _id: original.messageId }, { $set: { text: sealed } });
    const tampered = (await messages().findOne({ _id: original.messageId }))!;
    expect(() => toMessageView(fields, tampered)).toThrow();
  });
});

describe('messages and conversations stored before contexts named their owner', () => {
  it('still open: a transcript line and a consumer address sealed with the id-only context', async () => {
    const { fields, database: { db } } = world.system.services;
    const conversationId = await openSmsConversation(world, newConsumer());
    const id = `msg_legacy-${randomUUID()}`;
    // Exactly what the previous release wrote: no marker, a context naming the id only.
    await messages().insertOne({
      _id: id, conversationId, brandId: world.brandId, direction: 'outbound', channel: 'sms', kind: 'text',
      text: fields.seal('sent last year', `message:${id}:text`), attachments: [], status: 'delivered', statusRank: 5,
      statusHistory: [{ status: 'delivered', at: new Date() }], createdAt: new Date(),
    });
    expect((await messageOf(world.apiToken, conversationId, id))?.text).toBe('sent last year');

    const legacyConversation = randomUUID();
    const now = new Date();
    await db.collection('conversations').insertOne({
      _id: legacyConversation as never, workflowId: `conversation:legacy:${legacyConversation}`, brandId: world.brandId, channel: 'sms',
      channelId: world.twilioChannelId, entryPointId: 'twilio:+14155550100', queueId: 'sales',
      consumer: { pseudonym: `p-${legacyConversation}`, address: fields.seal('+14155550042', `conversation:${legacyConversation}:address`) },
      status: 'closed', openedAt: now, closedAt: now, closeReason: 'resolved', lastMessageAt: now, messageCount: 0,
    });
    const view = await call(world, 'GET', `/api/v1/conversations/${legacyConversation}`, world.apiToken);
    expect(view.status).toBe(200);
    expect(view.body.consumer.display).toBe('+14•••0042');
  });
});

describe('a caller-chosen messageId in its own conversation', () => {
  it('answers the same reply again as the first time, but refuses another text under it with 409 message_id_taken', async () => {
    const from = newConsumer();
    const conversationId = await openSmsConversation(world, from);
    const messageId = `msg_${randomUUID()}`;
    const first = await reply(world.apiToken, conversationId, { text: 'Your order ships today', messageId });
    expect(first.status).toBe(202);
    const again = await reply(world.apiToken, conversationId, { text: 'Your order ships today', messageId });
    expect({ status: again.status, body: again.body }).toEqual({ status: 202, body: first.body });
    const other = await reply(world.apiToken, conversationId, { text: 'Your order is cancelled', messageId });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('message_id_taken');
    await expect.poll(() => world.twilio.sent.filter((m) => m.to === from).map((m) => m.body), { timeout: 15_000 }).toEqual(['Your order ships today']);
    expect((await messageOf(world.apiToken, conversationId, messageId))?.text).toBe('Your order ships today');
  });
});
