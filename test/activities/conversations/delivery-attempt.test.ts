import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversationActivities } from '../../../activities/conversations/index.js';
import type { ConversationRef } from '../../../workflows/conversation/definitions.js';
import { openSmsConversation, startConnectorWorld, type ConnectorWorld } from '../../support/connectors.js';

let world: ConnectorWorld;
beforeAll(async () => {
  // The longest provider timeout allowed: longer than what is left of a short attempt.
  world = await startConnectorWorld({ env: { PROVIDER_TIMEOUT_MS: '60000' } });
}, 60_000);
afterAll(() => world?.stop());

async function replyRef(from: string): Promise<ConversationRef> {
  const id = await openSmsConversation(world, from);
  const doc = (await world.system.services.database.db.collection('conversations').findOne({ _id: id as never }))!;
  return {
    conversationId: id, workflowId: doc.workflowId, brandId: doc.brandId, channel: 'sms', channelId: doc.channelId,
    entryPointId: doc.entryPointId, queueId: doc.queueId, consumer: { address: from, pseudonym: doc.consumer.pseudonym },
  };
}

describe('one delivery attempt', () => {
  it('gives its provider call only what is left of its start-to-close timeout, so it ends before another attempt could start', async () => {
    const { database, fields, directory } = world.system.services;
    const activities = createConversationActivities({
      db: database.db, fields, directory, providers: world.system.settings.providers, publicBaseUrl: world.system.settings.http.publicBaseUrl,
    });
    const from = '+14155559301';
    const conversation = await replyRef(from);
    const messageId = `msg_${randomUUID()}`;
    await activities.recordOutboundMessage({ conversation, messageId, text: 'slow provider', kind: 'agent' });
    world.twilio.delayNext(30_000);

    const startToCloseTimeoutMs = 8_000;
    const attempt = new MockActivityEnvironment({ startToCloseTimeoutMs, currentAttemptScheduledTimestampMs: Date.now() });
    const started = Date.now();
    const outcome = await attempt.run(activities.deliverMessage, { conversation, messageId }).catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(ApplicationFailure);
    expect(outcome).toMatchObject({ type: 'DeliveryRetryable', nonRetryable: false });
    expect(Date.now() - started, 'the attempt ended within its own timeout').toBeLessThan(startToCloseTimeoutMs);
  });
});
