import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryPointId } from '../../db/repositories/channels.js';
import { startWorker, type RunningWorker } from '../../workers/worker.js';
import { conversationStateQuery, inboundMessageSignal, type ConversationInput, type InboundMessage } from '../../workflows/conversation/definitions.js';
import { BRAND_NUMBER, startConnectorWorld, transcript, type ConnectorWorld } from '../support/connectors.js';

// No worker at first: the messages queue in Temporal, and the worker started afterwards finds them all waiting.
let world: ConnectorWorld;
let worker: RunningWorker | undefined;
beforeAll(async () => {
  world = await startConnectorWorld({ worker: false });
}, 60_000);
afterAll(async () => {
  await worker?.shutdown();
  await world?.stop();
});

// A millisecond apart: the transcript is ordered by the time each was received.
let received = Date.now();
const sms = (body: string, keyword?: InboundMessage['keyword']): InboundMessage => ({
  providerMessageId: `SM${randomUUID().replace(/-/g, '')}`, kind: 'text', text: body, attachments: [], receivedAt: new Date(++received).toISOString(), ...(keyword ? { keyword } : {}),
});

describe('inbound messages that queued', () => {
  it('are recorded by one activity, in arrival order, up to and including an SMS keyword', async () => {
    const input: ConversationInput = {
      brandId: world.brandId, channel: 'sms', channelId: world.twilioChannelId, entryPointId: entryPointId('twilio', BRAND_NUMBER), queueId: 'sales',
      consumer: { address: '+14155550991', pseudonym: `p-${randomUUID()}` }, inactivityTimeoutMs: 60_000, helpText: 'help text',
    };
    const messages = [sms('one'), sms('two'), sms('three'), sms('help', 'help'), sms('five'), sms('six')];
    const client = world.system.services.temporal.client;
    const workflowId = `conversation:batching:${randomUUID()}`;
    for (const message of messages) {
      await client.workflow.signalWithStart('conversationWorkflow', {
        workflowId, taskQueue: world.system.settings.temporal.taskQueue, args: [input], signal: inboundMessageSignal, signalArgs: [message],
      });
    }
    worker = await startWorker(world.system.services);
    const handle = client.workflow.getHandle(workflowId);
    await expect.poll(async () => (await handle.query(conversationStateQuery)).messageCount, { timeout: 20_000 }).toBe(6);

    const scheduled = (await handle.fetchHistory()).events!.flatMap((event) => {
      const attributes = event.activityTaskScheduledEventAttributes;
      return attributes?.activityType?.name?.startsWith('recordInbound') ? [attributes.activityType.name] : [];
    });
    // Up to the keyword (its answer comes right after it), then what is left.
    expect(scheduled).toEqual(['recordInboundMessages', 'recordInboundMessages']);
    const { conversationId } = await handle.query(conversationStateQuery);
    const recorded = await transcript(world, conversationId);
    expect(recorded.filter((message) => message.direction === 'inbound').map((message) => message.text)).toEqual(['one', 'two', 'three', 'help', 'five', 'six']);
    expect(recorded.filter((message) => message.direction === 'outbound').map((message) => message.text)).toEqual(['help text']);
    const conversation = await world.system.services.database.db.collection('conversations').findOne({ _id: conversationId as never });
    expect(conversation?.messageCount).toBe(7);
  }, 60_000);
});
