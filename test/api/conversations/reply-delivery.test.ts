import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, inboundSms, openSmsConversation, startConnectorWorld, transcript, type ConnectorWorld } from '../../support/connectors.js';
import { waitFor } from '../../support/wait-for.js';
import { readEvents } from '../../support/workspace.js';
import { EventLog } from '../../../db/repositories/events.js';

let world: ConnectorWorld;
beforeAll(async () => {
  // Provider outages in seconds rather than hours: the same policy, its clock scaled down.
  world = await startConnectorWorld({ env: { DELIVERY_RETRY_INITIAL_MS: '300', DELIVERY_RETRY_MAX_MS: '1000', DELIVERY_RETRY_HORIZON_MINUTES: '0.25' } });
}, 60_000);
afterAll(() => world?.stop());

let phone = 0;
const newConsumer = () => `+1415557${String(1000 + ++phone).padStart(4, '0')}`;
const outage = () => world.twilio.failUntilHealed({ status: 500, message: 'Internal Server Error' });
const sentTo = (to: string) => world.twilio.sent.filter((m) => m.to === to).map((m) => m.body);

const openConversation = (from: string) => openSmsConversation(world, from);
const reply = (id: string, text: string) => call(world, 'POST', `/api/v1/conversations/${id}/replies`, world.apiToken, { text });
type MessageView = Awaited<ReturnType<typeof transcript>>[number] & { retry?: { attempts: number; nextAttemptAt: string } };
const messageOf = async (id: string, messageId: string) => (await transcript(world, id)).find((m) => m.id === messageId) as MessageView | undefined;
const act = (id: string, messageId: string, action: 'retry' | 'cancel') => call(world, 'POST', `/api/v1/conversations/${id}/messages/${messageId}/${action}`, world.apiToken, {});

describe('replies during a provider outage', () => {
  it('show retrying with the attempt count and next attempt, and the next inbound SMS is recorded meanwhile', async () => {
    const from = newConsumer();
    const id = await openConversation(from);
    const down = outage();
    try {
      const sent = await reply(id, 'are you there?');
      expect(sent.status).toBe(202);
      await expect.poll(async () => (await messageOf(id, sent.body.messageId))?.retry?.attempts ?? 0, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
      const retrying = (await messageOf(id, sent.body.messageId))!;
      expect(retrying).toMatchObject({ status: 'retrying', failure: { code: 'twilio_20500' } });
      expect(Date.parse(retrying.retry!.nextAttemptAt)).toBeGreaterThan(Date.now() - 2_000);

      await inboundSms(world, { from, body: 'still waiting' });
      await expect.poll(async () => (await transcript(world, id)).map((m) => m.text), { timeout: 5_000 }).toContain('still waiting');
      expect((await messageOf(id, sent.body.messageId))!.status).toBe('retrying');
    } finally {
      down.heal();
    }
  });

  it('tells the agent live that a reply is retrying', async () => {
    const id = await openConversation(newConsumer());
    const down = outage();
    try {
      const sent = await reply(id, 'live status please');
      const events = await readEvents(world, world.apiToken, {
        until: (seen) => seen.some((e) => e.type === 'message.status' && e.data.messageId === sent.body.messageId && e.data.status === 'retrying'),
      });
      const retrying = events.find((e) => e.type === 'message.status' && e.data.status === 'retrying' && e.data.messageId === sent.body.messageId);
      expect(retrying?.data).toMatchObject({ attempts: 1, nextAttemptAt: expect.any(String) });
    } finally {
      down.heal();
    }
  });

  it('tells the agent live when the provider takes the reply once the outage ends', async () => {
    const id = await openConversation(newConsumer());
    const down = outage();
    const sent = await reply(id, 'through at last');
    await expect.poll(async () => (await messageOf(id, sent.body.messageId))?.status, { timeout: 15_000 }).toBe('retrying');
    const lastEventId = String(await new EventLog(world.system.services.database.db).latestSeq(world.brandId));
    down.heal();
    const events = await readEvents(world, world.apiToken, {
      lastEventId,
      until: (seen) => seen.some((e) => e.type === 'message.status' && e.data.messageId === sent.body.messageId && e.data.status === 'queued'),
    });
    const queued = events.find((e) => e.type === 'message.status' && e.data.messageId === sent.body.messageId && e.data.status === 'queued');
    expect(queued?.data).toMatchObject({ conversationId: id, messageId: sent.body.messageId, status: 'queued' });
  });

  it('are all delivered once, in order, when the outage ends', async () => {
    const from = newConsumer();
    const id = await openConversation(from);
    const down = outage();
    const ids: string[] = [];
    for (const text of ['one', 'two', 'three']) ids.push((await reply(id, text)).body.messageId);
    await expect.poll(async () => (await messageOf(id, ids[0]!))?.retry?.attempts ?? 0, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    expect(sentTo(from)).toEqual([]);
    down.heal();
    await expect.poll(() => sentTo(from), { timeout: 15_000 }).toEqual(['one', 'two', 'three']);
    await expect.poll(async () => Promise.all(ids.map(async (m) => (await messageOf(id, m))?.status)), { timeout: 10_000 }).toEqual(['queued', 'queued', 'queued']);
  });

  it('fail with a true reason after the retry horizon, and an agent can send them again', async () => {
    const from = newConsumer();
    const id = await openConversation(from);
    const down = outage();
    const sent = await reply(id, 'after the storm');
    await expect.poll(async () => (await messageOf(id, sent.body.messageId))?.status, { timeout: 40_000 }).toBe('failed');
    const failed = (await messageOf(id, sent.body.messageId))!;
    expect(failed.failure!.reason).toMatch(/kept failing for \d+ min \(\d+ attempts; last: .*\)/);
    expect(failed.failure!.reason).not.toMatch(/will be retried/);
    down.heal();

    const [first, again] = await Promise.all([act(id, sent.body.messageId, 'retry'), act(id, sent.body.messageId, 'retry')]);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(first.body).toMatchObject({ messageId: sent.body.messageId });
    await expect.poll(() => sentTo(from), { timeout: 15_000 }).toEqual(['after the storm']);
    await expect.poll(async () => (await messageOf(id, sent.body.messageId))?.status, { timeout: 10_000 }).toBe('queued');
    // The transcript shows `queued` as the attempt records it, a moment before the conversation hears the attempt
    // ended; until then a retry answers like the one in progress (200, nothing sent again), then 409.
    const late = await waitFor(() => act(id, sent.body.messageId, 'retry'), (answer) => answer.status !== 200, 10_000);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('message_not_retryable');
    expect(sentTo(from)).toEqual(['after the storm']);
  });

  it('can be canceled while they wait; they are never sent, and canceling again answers the same', async () => {
    const from = newConsumer();
    const id = await openConversation(from);
    const down = outage();
    try {
      const first = (await reply(id, 'first')).body.messageId as string;
      const second = (await reply(id, 'second')).body.messageId as string;
      await expect.poll(async () => (await messageOf(id, first))?.status, { timeout: 15_000 }).toBe('retrying');
      // The second waits behind the first (order is kept); the first is between attempts.
      for (const messageId of [second, first]) {
        const canceled = await act(id, messageId, 'cancel');
        expect(canceled).toMatchObject({ status: 200, body: { messageId, status: 'canceled' } });
      }
      expect((await act(id, first, 'cancel')).body).toMatchObject({ status: 'canceled' });
      expect((await messageOf(id, first))!.status).toBe('canceled');
    } finally {
      down.heal();
    }
    const after = (await reply(id, 'third')).body.messageId as string;
    await expect.poll(() => sentTo(from), { timeout: 15_000 }).toEqual(['third']);
    const tooLate = await act(id, after, 'cancel');
    expect(tooLate.status).toBe(409);
    expect(tooLate.body.error.code).toBe('message_not_cancelable');
  });

  it('answer 404 for a retry or cancel of a message that is not a reply of this conversation', async () => {
    const id = await openConversation(newConsumer());
    const inbound = (await transcript(world, id))[0]!;
    expect((await act(id, inbound.id, 'retry')).status).toBe(404);
    expect((await act(id, 'msg_doesnotexist', 'cancel')).status).toBe(404);
  });
});
