import { Client, Connection } from '@temporalio/client';
import { runIngest, type Ingest } from '../ingest.js';
import type { MessageWatch } from '../message-watch.js';
import { scaled, type BenchOptions } from '../options.js';
import { inParallel, round1, round2, sleep } from '../stats.js';
import type { SystemUnderTest } from '../sut-process.js';
import { consumerNumber, sendInboundSms } from '../webhook.js';
import type { BenchWorld } from '../world.js';

const OPENING_IN_FLIGHT = 16;

export interface OpenConversations {
  requested: number;
  /** Webhooks answered 200: conversations open in Temporal. */
  created: number;
  /** Of those, fully processed (their event reached the agent) before memory was measured. */
  processed: number;
  createSeconds: number;
  createPerSecond: number;
  /**
   * RSS after a full GC, with them open minus before, divided by `created` (each an open conversation), measured
   * once they are processed (or the wait ended); null when fewer than 100 were processed.
   */
  rssPerConversationKB: number | null;
  heapPerConversationKB: number | null;
  cachedWorkflowsBefore: number;
  cachedWorkflowsAfter: number;
  /** Conversations earlier scenarios left open, terminated first so that "none" means none. */
  terminatedFirst: number;
  ingestWithNone: Ingest;
  ingestWithThemOpen: Ingest;
  /** ingestWithThemOpen.processedPerSecond / ingestWithNone.processedPerSecond */
  ingestRatio: number;
}

async function terminateOpenConversations(temporalAddress: string): Promise<number> {
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    const client = new Client({ connection });
    const ids: string[] = [];
    for await (const execution of client.workflow.list({ query: `WorkflowType = 'conversationWorkflow' AND ExecutionStatus = 'Running'` })) ids.push(execution.workflowId);
    await inParallel(ids.length, 16, async (i) => {
      await client.workflow.getHandle(ids[i]!).terminate('bench: a clean slate for the open-conversations scenario').catch(() => {});
    });
    return ids.length;
  } finally {
    await connection.close();
  }
}

/**
 * 10,000 conversations opened through the webhook (64 in flight, one message from each of 10,000
 * consumers) and left open. Worker memory per open conversation, and 64-in-flight ingest with them
 * open against the same ingest with none.
 */
export async function openConversations(world: BenchWorld, watch: MessageWatch, sut: SystemUnderTest, temporalAddress: string, options: BenchOptions): Promise<OpenConversations> {
  const terminatedFirst = await terminateOpenConversations(temporalAddress);
  const ingestShape = { inFlight: 64, seconds: scaled(options, 20, 5), pool: 256, drainSeconds: scaled(options, 20, 10) };
  const ingestWithNone = await runIngest(world, watch, sut, { ...ingestShape, series: 301 });

  const before = await sut.collectGarbage();
  const requested = options.openConversations;
  const ids: string[] = [];
  const started = performance.now();
  const deadline = started + scaled(options, 600, 30) * 1000;
  // 16 in flight: opening faster only starves the processing that the measurement waits for.
  await inParallel(requested, OPENING_IN_FLIGHT, async (i) => {
    if (performance.now() > deadline) return;
    const sent = await sendInboundSms(world, consumerNumber(310, i)).catch(() => undefined);
    if (sent) ids.push(sent.messageId);
  });
  const createSeconds = (performance.now() - started) / 1000;
  const missing = await watch.waitForAll(ids, scaled(options, 120, 15) * 1000);
  await sleep(2_000);
  const after = await sut.collectGarbage();
  const processed = ids.length - missing;

  const ingestWithThemOpen = await runIngest(world, watch, sut, { ...ingestShape, series: 302 });
  const perConversationKB = (bytes: number) => (processed >= 100 ? round1(bytes / ids.length / 1024) : null);
  return {
    requested,
    created: ids.length,
    processed,
    createSeconds: round1(createSeconds),
    createPerSecond: round1(ids.length / createSeconds),
    rssPerConversationKB: perConversationKB(after.rssBytes - before.rssBytes),
    heapPerConversationKB: perConversationKB(after.heapUsedBytes - before.heapUsedBytes),
    cachedWorkflowsBefore: before.cachedWorkflows,
    cachedWorkflowsAfter: after.cachedWorkflows,
    terminatedFirst,
    ingestWithNone,
    ingestWithThemOpen,
    ingestRatio: round2(ingestWithThemOpen.processedPerSecond / Math.max(0.1, ingestWithNone.processedPerSecond)),
  };
}
