import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversationActivities } from '../../../activities/conversations/index.js';
import { entryPointId } from '../../../db/repositories/channels.js';
import type { ConversationRef } from '../../../workflows/conversation/definitions.js';
import { routerStateQuery, routerWorkflowId } from '../../../workflows/routing/definitions.js';
import { testAdminToken } from '../../support/settings.js';
import {
  BRAND_NUMBER, call, inboundSms, listConversations, messengerBatch, openSmsConversation, messengerText, postFacebookWebhook, startConnectorWorld, transcript, type ConnectorWorld,
} from '../../support/connectors.js';
import { twilioSid } from '../../support/standins/twilio-standin.js';
import { addAgent, setAvailability } from '../../support/workspace.js';

let world: ConnectorWorld;
beforeAll(async () => {
  // A short provider timeout: the lost-answer test waits for it.
  world = await startConnectorWorld({ env: { PROVIDER_TIMEOUT_MS: '1500', CONVERSATION_REOPEN_WINDOW_SECONDS: '30' } });
}, 60_000);
afterAll(() => world?.stop());

let phone = 0;
const newConsumer = () => `+1415558${String(1000 + ++phone).padStart(4, '0')}`;
const get = async (id: string) => (await call(world, 'GET', `/api/v1/conversations/${id}`, world.apiToken)).body;
const sentTo = (to: string) => world.twilio.sent.filter((m) => m.to === to).map((m) => m.body);

const openConversation = (from: string, body = 'hello') => openSmsConversation(world, from, { body });

describe('conversation races, each fixed at its root', () => {
  it('finishes recording an inbound message whose earlier attempt stored it and then failed', async () => {
    const { database: { db }, fields } = world.system.services;
    const activities = createConversationActivities({
      db, fields, directory: world.system.services.directory, providers: world.system.settings.providers, publicBaseUrl: world.system.settings.http.publicBaseUrl,
    });
    const ref: ConversationRef = {
      conversationId: randomUUID(), workflowId: `conversation:test:${randomUUID()}`, brandId: world.brandId, channel: 'sms',
      channelId: world.twilioChannelId, entryPointId: entryPointId('twilio', BRAND_NUMBER), queueId: 'sales',
      consumer: { address: newConsumer(), pseudonym: `p-${randomUUID()}` },
    };
    const message = { providerMessageId: twilioSid('SM'), kind: 'text' as const, text: 'first words', attachments: [], receivedAt: new Date().toISOString() };
    await activities.recordInboundMessage({ conversation: ref, message, openedAt: message.receivedAt });
    // What a crash after the insert leaves behind: the message, and nothing else.
    await db.collection('conversations').deleteOne({ _id: ref.conversationId as never });
    await db.collection('events').deleteMany({ conversationId: ref.conversationId });

    expect(await activities.recordInboundMessage({ conversation: ref, message, openedAt: message.receivedAt })).toEqual({ recorded: true });
    expect(await db.collection('conversations').findOne({ _id: ref.conversationId as never })).toMatchObject({ status: 'open', messageCount: 1 });
    expect(await db.collection('events').countDocuments({ conversationId: ref.conversationId, type: 'message.created' })).toBe(1);
    // Recorded again (a third attempt): nothing doubles.
    await activities.recordInboundMessage({ conversation: ref, message, openedAt: message.receivedAt });
    expect(await db.collection('conversations').findOne({ _id: ref.conversationId as never })).toMatchObject({ messageCount: 1 });
  });

  it('delivers every reply answered 202 while the conversation was closing', async () => {
    for (let round = 0; round < 4; round++) {
      const from = newConsumer();
      const id = await openConversation(from);
      const [reply, close] = await Promise.all([
        call(world, 'POST', `/api/v1/conversations/${id}/replies`, world.apiToken, { text: `bye ${round}` }),
        call(world, 'POST', `/api/v1/conversations/${id}/close`, world.apiToken, { reason: 'resolved' }),
      ]);
      expect(close.status).toBe(200);
      expect([202, 409]).toContain(reply.status);
      // The consumer writes again at once: their next conversation must not swallow the reply.
      await inboundSms(world, { from, body: 'one more thing' });
      if (reply.status === 202) await expect.poll(() => sentTo(from), { timeout: 15_000 }).toEqual([`bye ${round}`]);
    }
  });

  it('answers close and transfer once recorded: the very next read shows them', async () => {
    const id = await openConversation(newConsumer());
    const transferred = await call(world, 'POST', `/api/v1/conversations/${id}/transfer`, world.apiToken, { toQueueId: 'billing' });
    expect(transferred.status).toBe(200);
    expect((await get(id)).queueId).toBe('billing');
    expect((await call(world, 'POST', `/api/v1/conversations/${id}/close`, world.apiToken, { reason: 'resolved' })).status).toBe(200);
    expect(await get(id)).toMatchObject({ status: 'closed', closeReason: 'resolved' });
  });

  it('serves a conversation reopened while its close was being recorded, with what the consumer wrote meanwhile', async () => {
    const from = newConsumer();
    const id = await openConversation(from);
    const carol = await addAgent(world, { skills: ['sales'] });
    const close = call(world, 'POST', `/api/v1/conversations/${id}/close`, world.apiToken, { reason: 'resolved' });
    await expect.poll(async () => (await call(world, 'POST', `/api/v1/conversations/${id}/reopen`, world.apiToken, { agentId: carol.id })).status, { timeout: 10_000 }).toBe(200);
    expect((await close).status).toBe(200);
    expect(await get(id)).toMatchObject({ status: 'open', agentId: carol.id });
    await inboundSms(world, { from, body: 'are you still there?' });
    await expect.poll(async () => (await transcript(world, id)).map((m) => m.text), { timeout: 15_000 }).toContain('are you still there?');
    expect((await call(world, 'POST', `/api/v1/conversations/${id}/replies`, world.apiToken, { text: 'yes' })).status).toBe(202);
    await expect.poll(() => sentTo(from), { timeout: 15_000 }).toEqual(['yes']);
    const router = await world.system.services.temporal.client.workflow.getHandle(routerWorkflowId(world.brandId)).query(routerStateQuery);
    expect(router.agents.find((agent) => agent.agentId === carol.id)?.active ?? []).toEqual([]); // carol never went online: the router counts nothing for her
  });

  it('moves what the consumer wrote after the close into the conversation when an agent reopens it', async () => {
    const from = newConsumer();
    const id = await openConversation(from);
    expect((await call(world, 'POST', `/api/v1/conversations/${id}/close`, world.apiToken, { reason: 'resolved' })).status).toBe(200);
    const [reopened] = await Promise.all([
      call(world, 'POST', `/api/v1/conversations/${id}/reopen`, world.apiToken, {}),
      inboundSms(world, { from, body: 'wait, one more question' }),
    ]);
    if (reopened.status === 200) {
      await expect.poll(async () => (await transcript(world, id)).map((m) => m.text), { timeout: 15_000 }).toContain('wait, one more question');
    } else {
      // The message won the race: it started the next conversation, and the reopen was refused with the reason.
      expect(reopened.body.error.code).toBe('not_reopenable');
      const next = await openConversation(from, 'and another');
      expect(next).not.toBe(id);
    }
  });

  it('accepts on Messenger replies in the next conversation at once: the messaging window is the person\'s', async () => {
    const psid = `psid-${randomUUID().slice(0, 8)}`;
    await postFacebookWebhook(world, messengerBatch([messengerText(psid, 'first question')]));
    const find = async (text: string) => {
      for (const c of await listConversations(world)) if (c.channel === 'messenger' && (await transcript(world, c.id)).some((m) => m.text === text)) return c.id;
      return undefined;
    };
    let first: string | undefined;
    await expect.poll(async () => (first = await find('first question')), { timeout: 15_000 }).toBeDefined();
    expect((await call(world, 'POST', `/api/v1/conversations/${first}/close`, world.apiToken, {})).status).toBe(200);
    await postFacebookWebhook(world, messengerBatch([messengerText(psid, 'second question')]));
    let second: string | undefined;
    await expect.poll(async () => (second = await find('second question')), { timeout: 15_000 }).toBeDefined();
    expect(second).not.toBe(first);
    const reply = await call(world, 'POST', `/api/v1/conversations/${second}/replies`, world.apiToken, { text: 'here to help' });
    expect(reply.status).toBe(202);
  });

  it('answers accept once the conversation is the agent\'s, and refuses a second agent with 409', async () => {
    const [dana, erin] = await Promise.all([addAgent(world, { skills: ['sales'] }), addAgent(world, { skills: ['sales'] })]);
    // Away: they may accept, but the router does not hand them work on its own.
    await Promise.all([setAvailability(world, dana, 'away'), setAvailability(world, erin, 'away')]);
    const id = await openConversation(newConsumer());
    await expect.poll(async () => (await call(world, 'GET', '/api/v1/conversations?view=queue&limit=100', dana.token)).body.items.map((c: { id: string }) => c.id), { timeout: 15_000 }).toContain(id);
    const accepted = await call(world, 'POST', `/api/v1/conversations/${id}/accept`, dana.token);
    expect(accepted).toMatchObject({ status: 200, body: { agentId: dana.id } });
    expect((await get(id)).agentId).toBe(dana.id);
    const late = await call(world, 'POST', `/api/v1/conversations/${id}/accept`, erin.token);
    expect([404, 409]).toContain(late.status);
  });

  it('sends a second identical text whose answer was lost: an earlier "OK" is not taken for it', async () => {
    const from = newConsumer();
    const id = await openConversation(from);
    expect((await call(world, 'POST', `/api/v1/conversations/${id}/replies`, world.apiToken, { text: 'OK' })).status).toBe(202);
    await expect.poll(() => sentTo(from), { timeout: 15_000 }).toEqual(['OK']);
    world.twilio.delayNext(4_000);
    const second = await call(world, 'POST', `/api/v1/conversations/${id}/replies`, world.apiToken, { text: 'OK' });
    await expect.poll(() => sentTo(from), { timeout: 20_000 }).toEqual(['OK', 'OK']);
    await expect.poll(async () => (await transcript(world, id)).find((m) => m.id === second.body.messageId)?.status, { timeout: 15_000 }).toBe('queued');
    const sids = await world.system.services.database.db.collection('messages').distinct('providerMessageId', { conversationId: id, direction: 'outbound' });
    expect(new Set(sids).size).toBe(2);
  });

  it('refuses with 409 a reply whose id another conversation holds, and the conversation keeps working', async () => {
    const fromA = newConsumer();
    const fromB = newConsumer();
    const [a, b] = [await openConversation(fromA), await openConversation(fromB)];
    const messageId = `msg_${randomUUID()}`;
    expect((await call(world, 'POST', `/api/v1/conversations/${a}/replies`, world.apiToken, { text: 'for A', messageId })).status).toBe(202);
    const clash = await call(world, 'POST', `/api/v1/conversations/${b}/replies`, world.apiToken, { text: 'for B', messageId });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('message_id_taken');
    expect((await call(world, 'POST', `/api/v1/conversations/${b}/replies`, world.apiToken, { text: 'for B, again' })).status).toBe(202);
    await expect.poll(() => sentTo(fromB), { timeout: 15_000 }).toEqual(['for B, again']);
    expect(sentTo(fromA)).toEqual(['for A']);
  });

  it('frees the agent\'s slot when a consumer is erased mid-conversation', async () => {
    // A queue of its own: conversations of earlier tests wait in 'sales'.
    const queueId = `erasure-${randomUUID().slice(0, 8)}`;
    const frank = await addAgent(world, { skills: [queueId], maxConcurrent: 1, online: true });
    const toFranksQueue = async (id: string) => expect((await call(world, 'POST', `/api/v1/conversations/${id}/transfer`, world.apiToken, { toQueueId: queueId })).status).toBe(200);
    const erased = newConsumer();
    const first = await openConversation(erased);
    await toFranksQueue(first);
    await expect.poll(async () => (await get(first))?.agentId, { timeout: 15_000 }).toBe(frank.id);
    const erasure = await call(world, 'POST', `/api/v1/admin/brands/${world.brandId}/privacy/erasure`, testAdminToken, { channel: 'sms', address: erased });
    expect(erasure.status).toBe(200);
    const next = await openConversation(newConsumer());
    await toFranksQueue(next);
    await expect.poll(async () => (await get(next)).agentId, { timeout: 15_000 }).toBe(frank.id);
    await setAvailability(world, frank, 'offline');
  });
});
