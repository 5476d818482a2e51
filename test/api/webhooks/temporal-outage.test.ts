import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collections } from '../../../db/collections.js';
import type { InboundMessage } from '../../../workflows/conversation/definitions.js';
import { startPrivateTemporal, type PrivateTemporal } from '../../support/private-servers.js';
import { inboundSms, listConversations, startConnectorWorld, transcript, type ConnectorWorld } from '../../support/connectors.js';

// Fault injection: this file's own Temporal dev server is SIGKILLed in the middle of a burst of
// webhooks and comes back a minute later (an upgrade, a crash): far longer than Twilio retries.
let temporal: PrivateTemporal;
let world: ConnectorWorld;
beforeAll(async () => {
  temporal = await startPrivateTemporal();
  world = await startConnectorWorld({ env: { TEMPORAL_ADDRESS: temporal.address } });
}, 120_000);
afterAll(async () => {
  await world?.stop();
  await temporal?.stop();
});

const OUTAGE_MS = 60_000;

async function transcriptTexts(): Promise<string[]> {
  const conversations = await listConversations(world);
  const texts = await Promise.all(conversations.map(async (conversation) => (await transcript(world, conversation.id)).map((m) => m.text ?? '')));
  return texts.flat();
}

/** The texts the conversation workflow was signalled with, in the order Temporal recorded them (first arrivals). */
async function signalledTexts(): Promise<string[]> {
  const { database, temporal: { client } } = world.system.services;
  const conversation = await database.db.collection<{ workflowId: string }>(Collections.conversations).findOne({ brandId: world.brandId });
  const history = await client.workflow.getHandle(conversation!.workflowId).fetchHistory();
  const signals = (history.events ?? []).flatMap((event) => (event.workflowExecutionSignaledEventAttributes ? [event.workflowExecutionSignaledEventAttributes] : []));
  const messages = await Promise.all(signals.map(async (signal) => (await decodeArrayFromPayloads(client.workflow.options.loadedDataConverter, signal.input?.payloads)) as InboundMessage[]));
  return [...new Set(messages.map(([message]) => message!.text ?? ''))];
}

describe('Temporal killed during a burst of inbound SMS', () => {
  it('answers every webhook 200 and, once Temporal is back, shows all 50 messages exactly once, in order', async () => {
    const from = '+14155550177';
    const bodies = Array.from({ length: 50 }, (_, i) => `burst message ${String(i + 1).padStart(2, '0')}`);
    const statuses: number[] = [];
    let killedAt = 0;
    let killing: Promise<void> | undefined;
    const burstStarted = Date.now();
    for (const [i, body] of bodies.entries()) {
      // Mid-burst, not between bursts: the kill runs while the next webhooks arrive.
      if (i === 10) killing = temporal.kill().then(() => void (killedAt = Date.now()));
      statuses.push((await inboundSms(world, { from, body })).status);
    }
    const burstMs = Date.now() - burstStarted;
    await killing;
    expect(statuses).toEqual(bodies.map(() => 200));
    const beforeRestart = await transcriptTexts();
    expect(beforeRestart.length).toBeLessThan(50);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, killedAt + OUTAGE_MS - Date.now()))); // the outage itself
    const restartedAt = Date.now();
    await temporal.restart();
    await expect.poll(transcriptTexts, { timeout: 120_000, interval: 1_000 }).toEqual(bodies);
    // The transcript sorts by arrival time; the workflow's history shows the hand-over order itself.
    expect(await signalledTexts()).toEqual(bodies);
    process.stderr.write(
      `[temporal-outage] burst of 50 answered in ${burstMs} ms; ${beforeRestart.length} in the transcript before the restart; ` +
        `all 50 ${Date.now() - restartedAt} ms after the restart began\n`,
    );
    // One warning for the outage and one notice for its end, not one per message; never a message's text.
    const lines = world.system.logs.lines;
    expect(lines.filter((line) => line.includes('Temporal unreachable'))).toHaveLength(1);
    expect(lines.filter((line) => line.includes('Temporal reachable again'))).toHaveLength(1);
    expect(world.system.logs.text()).not.toContain('burst message');
  }, 300_000);
});
