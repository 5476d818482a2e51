import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryPointId } from '../../db/repositories/channels.js';
import {
  assignedSignal, conversationStateQuery, inboundMessageSignal, replyUpdate, type ConversationInput, type InboundMessage,
} from '../../workflows/conversation/definitions.js';
import { BRAND_NUMBER, startConnectorWorld, transcript, type ConnectorWorld } from '../support/connectors.js';

let world: ConnectorWorld;
beforeAll(async () => {
  world = await startConnectorWorld();
}, 60_000);
afterAll(() => world?.stop());

function smsInput(overrides: Partial<ConversationInput> = {}): ConversationInput {
  return {
    brandId: world.brandId,
    channel: 'sms',
    channelId: world.twilioChannelId,
    entryPointId: entryPointId('twilio', BRAND_NUMBER),
    queueId: 'sales',
    consumer: { address: '+14155550777', pseudonym: `p-${randomUUID()}` },
    inactivityTimeoutMs: 60_000,
    helpText: 'help',
    ...overrides,
  };
}

const text = (body: string, id = `SM${randomUUID().replace(/-/g, '')}`): InboundMessage => ({
  providerMessageId: id, kind: 'text', text: body, attachments: [], receivedAt: new Date().toISOString(),
});

/** What an operator filtering Temporal UI with this visibility query would see. */
async function workflowIdsMatching(query: string): Promise<string[]> {
  const found: string[] = [];
  for await (const run of world.system.services.temporal.client.workflow.list({ query })) found.push(run.workflowId);
  return found;
}

function start(input: ConversationInput, first: InboundMessage) {
  const client = world.system.services.temporal.client;
  return client.workflow.signalWithStart('conversationWorkflow', {
    workflowId: `conversation:test:${randomUUID()}`,
    taskQueue: world.system.settings.temporal.taskQueue,
    args: [input],
    signal: inboundMessageSignal,
    signalArgs: [first],
  });
}

describe('conversation workflow', () => {
  it('tags the conversation with the agent who replied, for operators', async () => {
    const handle = await start(smsInput(), text('who answers?'));
    await expect.poll(async () => (await handle.query(conversationStateQuery)).messageCount, { timeout: 15_000 }).toBe(1);
    const state = await handle.query(conversationStateQuery);
    await handle.executeUpdate(replyUpdate, { args: [{ conversationId: state.conversationId, messageId: `msg_${randomUUID()}`, text: 'me', agentId: 'alice' }] });
    const query = `AgentId = 'alice' AND WorkflowId = '${handle.workflowId}'`;
    await expect.poll(() => workflowIdsMatching(query), { timeout: 15_000 }).toEqual([handle.workflowId]);
  });

  it('closes itself after the inactivity timeout', async () => {
    const handle = await start(smsInput({ inactivityTimeoutMs: 1_500, reopenWindowMs: 200 }), text('anyone there?'));
    const result = (await handle.result()) as { status: string; closeReason: string; conversationId: string };
    expect(result).toMatchObject({ status: 'closed', closeReason: 'inactivity' });
    const doc = await world.system.services.database.db.collection('conversations').findOne({ _id: result.conversationId as never });
    expect(doc).toMatchObject({ status: 'closed', closeReason: 'inactivity' });
  });

  it('continues as new before its history grows large, keeping its state and its dedupe', async () => {
    const first = text('message 1');
    const handle = await start(smsInput({ continueAsNewAfterEvents: 25 }), first);
    const firstRunId = (await handle.describe()).runId;
    for (let i = 2; i <= 8; i++) {
      await handle.signal(inboundMessageSignal, text(`message ${i}`));
      await expect.poll(async () => (await handle.query(conversationStateQuery)).messageCount, { timeout: 15_000 }).toBe(i);
    }
    expect((await handle.describe()).runId).not.toBe(firstRunId);
    await handle.signal(inboundMessageSignal, first);
    const state = await handle.query(conversationStateQuery);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const messages = await transcript(world, state.conversationId);
    expect(messages.map((m) => m.text)).toEqual(Array.from({ length: 8 }, (_, i) => `message ${i + 1}`));
    expect((await handle.query(conversationStateQuery)).messageCount).toBe(8);
  });

  it('is visible to operators by brand and state through search attributes', async () => {
    const handle = await start(smsInput(), text('find me'));
    await expect.poll(async () => (await handle.query(conversationStateQuery)).messageCount, { timeout: 15_000 }).toBe(1);
    const query = `BrandId = '${world.brandId}' AND Channel = 'sms' AND ConversationState = 'open' AND WorkflowId = '${handle.workflowId}'`;
    await expect.poll(() => workflowIdsMatching(query), { timeout: 15_000 }).toEqual([handle.workflowId]);
  });

  it('carries an assignment that arrives as it continues as new, and records it', async () => {
    const handle = await start(smsInput({ continueAsNewAfterEvents: 12 }), text('message 1'));
    // The router assigns only conversations it was told about, once their first message is recorded.
    await expect.poll(async () => (await handle.query(conversationStateQuery)).messageCount, { timeout: 15_000 }).toBe(1);
    const firstRunId = (await handle.describe()).runId;
    const { conversationId } = await handle.query(conversationStateQuery);
    // A burst that pushes history past the limit, with the router's assignment in the middle of it.
    for (let i = 2; i <= 6; i++) await handle.signal(inboundMessageSignal, text(`message ${i}`));
    await handle.signal(assignedSignal, { conversationId, agentId: 'grace', by: 'router' });
    for (let i = 7; i <= 9; i++) await handle.signal(inboundMessageSignal, text(`message ${i}`));
    const conversations = world.system.services.database.db.collection('conversations');
    await expect.poll(async () => (await conversations.findOne({ _id: conversationId as never }))?.agentId, { timeout: 15_000 }).toBe('grace');
    await expect.poll(async () => (await handle.query(conversationStateQuery)).messageCount, { timeout: 15_000 }).toBe(9);
    expect((await handle.describe()).runId).not.toBe(firstRunId);
    expect(await handle.query(conversationStateQuery)).toMatchObject({ conversationId, agentId: 'grace', status: 'open' });
    const events = world.system.services.database.db.collection('events');
    expect(await events.countDocuments({ conversationId, type: 'conversation.assigned' })).toBe(1);
  });
});
