import { randomUUID } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { connectDatabase } from '../../db/connection.js';
import { FieldEncryption } from '../../db/field-encryption.js';
import { ChannelDirectory } from '../../db/repositories/channel-directory.js';
import { createDataConverter } from '../../temporal/data-converter.js';
import * as workflows from '../../workflows/index.js';
import { replayFixtureKeys, replayKeyring } from '../support/replay-keyring.js';
import { routerWorkflowId } from '../../workflows/routing/definitions.js';
import { inboundMessageSignal } from '../../workflows/conversation/definitions.js';
import { secureFormWorkflowId } from '../../workflows/secure-form/definitions.js';
import { conversationWithAgent, hiddenKey, linkSentTo, openFormLink, postForm } from '../support/secure-forms.js';
import { BRAND_NUMBER, call, inboundSms, listConversations, postTwilioWebhook, startConnectorWorld, transcript } from '../support/connectors.js';
import { testSettings } from '../support/settings.js';
import { addAgent, setAvailability } from '../support/workspace.js';
import { OffRecordStore } from '../../services/forms/off-record/store.js';
import { createOffRecordHolderActivities } from '../../services/forms/off-record/holder-activities.js';
import { requesterKeys } from '../../services/forms/off-record/sealed-box.js';

// Each recording adds files: older histories stay, so workflow changes must keep replaying them.
const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
const historiesDir = fileURLToPath(new URL('../histories/', import.meta.url));
const dataConverter = createDataConverter(replayKeyring);

/** How to produce a representative history of each workflow, for `npm run histories:record`. */
const recorders: Record<string, (client: Client, taskQueue: string) => Promise<string>> = {
  retentionWorkflow: async (client, taskQueue) => {
    const handle = await client.workflow.start('retentionWorkflow', { taskQueue, workflowId: `retention-${randomUUID()}`, args: [{ now: new Date().toISOString(), batchSize: 10 }] });
    await handle.result();
    return handle.workflowId;
  },
  offRecordRequestWorkflow: async (client, taskQueue) => {
    // A holder with one answer, on its own task queue, asked for it as another replica would.
    const store = new OffRecordStore();
    store.put('replay-form', 'replay-brand', { cvv: '123' }, 60_000);
    const native = await NativeConnection.connect({ address: testSettings().temporal.address });
    const holderTaskQueue = `${taskQueue}.off-record.replay`;
    const holder = await Worker.create({ connection: native, taskQueue: holderTaskQueue, activities: createOffRecordHolderActivities(store), dataConverter });
    const workflowId = `off-record-read:replay-form:${randomUUID()}`;
    await holder.runUntil(
      client.workflow.execute('offRecordRequestWorkflow', {
        taskQueue, workflowId, args: [{ kind: 'read', holderTaskQueue, formId: 'replay-form', brandId: 'replay-brand', requesterPublicKey: requesterKeys().publicKey }],
      }),
    );
    await native.close();
    return workflowId;
  },
  systemCheckWorkflow: async (client, taskQueue) => {
    const handle = await client.workflow.start('systemCheckWorkflow', {
      taskQueue,
      workflowId: `system-check-${randomUUID()}`,
      args: [{ requestedBy: 'history-recording' }],
    });
    await handle.result();
    return handle.workflowId;
  },
};

/** Conversation and status workflows, recorded through the real webhooks and agent API. */
async function recordConnectorHistories(): Promise<Record<string, string>> {
  const world = await startConnectorWorld({ env: { ENCRYPTION_KEYS: replayFixtureKeys, OFF_RECORD_TTL_SECONDS: '2', DELIVERY_RETRY_INITIAL_MS: '300', DELIVERY_RETRY_MAX_MS: '1000' } });
  try {
    const from = '+14155550199';
    const client = world.system.services.temporal.client;
    // Alice is a real agent of the brand: the API accepts only active agents as the one a brand token acts for.
    const aliceAgent = await addAgent(world, { skills: ['sales'], online: true });
    const alice = (availability: 'online' | 'offline') => setAvailability(world, aliceAgent, availability);
    await inboundSms(world, { from, body: 'Hello, I need help with my order' });
    await expect.poll(async () => (await listConversations(world)).length, { timeout: 15_000 }).toBe(1);
    const [conversation] = await listConversations(world);
    const reply = await call(world, 'POST', `/api/v1/conversations/${conversation!.id}/replies`, world.apiToken, { text: 'Happy to help', agentId: aliceAgent.id });
    await expect.poll(() => world.twilio.sent.length, { timeout: 15_000 }).toBe(1);
    const callback = new URL(world.twilio.sent[0]!.statusCallback!);
    await postTwilioWebhook(world, `${callback.pathname}${callback.search}`, {
      MessageSid: world.twilio.sent[0]!.sid, AccountSid: world.accountSid, MessageStatus: 'delivered', From: BRAND_NUMBER, To: from,
    });
    await expect.poll(async () => (await transcript(world, conversation!.id)).find((m) => m.id === reply.body.messageId)?.status, { timeout: 15_000 }).toBe('delivered');
    // A reply waiting out an outage, canceled; another that fails, then is retried by the agent.
    const outage = world.twilio.failUntilHealed({ status: 500 });
    const waiting = await call(world, 'POST', `/api/v1/conversations/${conversation!.id}/replies`, world.apiToken, { text: 'Still there?', agentId: aliceAgent.id });
    await expect.poll(async () => (await transcript(world, conversation!.id)).find((m) => m.id === waiting.body.messageId)?.status, { timeout: 15_000 }).toBe('retrying');
    await call(world, 'POST', `/api/v1/conversations/${conversation!.id}/messages/${waiting.body.messageId}/cancel`, world.apiToken, {});
    outage.heal();
    world.twilio.failNext({ status: 400, code: 21211 });
    const refused = await call(world, 'POST', `/api/v1/conversations/${conversation!.id}/replies`, world.apiToken, { text: 'Once more', agentId: aliceAgent.id });
    await expect.poll(async () => (await transcript(world, conversation!.id)).find((m) => m.id === refused.body.messageId)?.status, { timeout: 15_000 }).toBe('failed');
    const retried = await call(world, 'POST', `/api/v1/conversations/${conversation!.id}/messages/${refused.body.messageId}/retry`, world.apiToken, {});
    if (retried.status !== 200) throw new Error(`retry answered ${retried.status}: ${JSON.stringify(retried.body)}`);
    await expect.poll(() => world.twilio.sent.length, { timeout: 15_000 }).toBe(2);
    // Transferred, closed, reopened, closed again.
    await call(world, 'POST', `/api/v1/conversations/${conversation!.id}/transfer`, world.apiToken, { toQueueId: 'billing' });
    await call(world, 'POST', `/api/v1/conversations/${conversation!.id}/close`, world.apiToken, { reason: 'resolved' });
    await call(world, 'POST', `/api/v1/conversations/${conversation!.id}/reopen`, world.apiToken, { agentId: aliceAgent.id });
    await call(world, 'POST', `/api/v1/conversations/${conversation!.id}/close`, world.apiToken, { reason: 'resolved' });
    const workflowId = (await world.system.services.database.db.collection('conversations').findOne({}))!.workflowId as string;
    const conversationHandle = client.workflow.getHandle(workflowId, (await client.workflow.getHandle(workflowId).describe()).runId);
    await conversationHandle.signal(inboundMessageSignal, {
      providerMessageId: 'SM-after-close', kind: 'text', text: 'one more thing', attachments: [], receivedAt: new Date().toISOString(),
    });
    // The message after the close starts the consumer's next conversation (continue-as-new).
    await expect.poll(async () => (await conversationHandle.describe()).status.name, { timeout: 15_000 }).toBe('CONTINUED_AS_NEW');
    const statusRuns = client.workflow.list({ query: "WorkflowType = 'messageStatusWorkflow'" });
    let statusWorkflowId = '';
    for await (const run of statusRuns) statusWorkflowId = run.workflowId;
    await client.workflow.getHandle(statusWorkflowId).result();
    // A secure form: sent, opened, submitted, off-the-record countdown. Alice leaves so a real agent can accept.
    await alice('offline');
    const withAgent = await conversationWithAgent(world);
    const sent = await call(world, 'POST', `/api/v1/conversations/${withAgent.conversationId}/forms`, withAgent.agent.token, { templateId: 'card-payment' });
    const page = await (await openFormLink(world, await linkSentTo(world, withAgent.consumer))).text();
    await postForm(world, sent.body.formId, { key: hiddenKey(page), nameOnCard: 'Replay Holder', cardNumber: '4111111111111111', expiry: '12/39', cvv: '123' });
    const formHandle = client.workflow.getHandle(secureFormWorkflowId(sent.body.formId));
    await formHandle.result();
    return {
      secureFormWorkflow: historyToJSON(await formHandle.fetchHistory()),
      routerWorkflow: historyToJSON(await client.workflow.getHandle(routerWorkflowId(world.brandId)).fetchHistory()),
      conversationWorkflow: historyToJSON(await conversationHandle.fetchHistory()),
      messageStatusWorkflow: historyToJSON(await client.workflow.getHandle(statusWorkflowId).fetchHistory()),
    };
  } finally {
    await world.stop();
  }
}

async function loadHistories() {
  const files = (await readdir(historiesDir)).filter((file) => file.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (file) => ({ file, workflowId: file, history: JSON.parse(await readFile(path.join(historiesDir, file), 'utf8')) })),
  );
}

// RECORD_HISTORIES=1 records every workflow; a comma-separated list of workflow names records only those.
const only = process.env.RECORD_HISTORIES && process.env.RECORD_HISTORIES !== '1' ? new Set(process.env.RECORD_HISTORIES.split(',')) : undefined;

describe.runIf(process.env.RECORD_HISTORIES)('recording workflow histories', () => {
  it('records one history per workflow with the replay fixture key', async () => {
    const settings = testSettings();
    const database = connectDatabase({ uri: settings.mongo.uri, dbName: settings.mongo.dbName });
    const native = await NativeConnection.connect({ address: settings.temporal.address });
    const connection = await Connection.connect({ address: settings.temporal.address });
    const client = new Client({ connection, dataConverter });
    const worker = await Worker.create({
      connection: native,
      taskQueue: settings.temporal.taskQueue,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      activities: createActivities({
        db: database.db,
        fields: new FieldEncryption(replayKeyring),
        directory: new ChannelDirectory({ db: database.db, fields: new FieldEncryption(replayKeyring) }),
        providers: settings.providers,
        publicBaseUrl: settings.http.publicBaseUrl,
        client,
        taskQueue: settings.temporal.taskQueue,
        vaultDb: database.db,
        retention: settings.retention,
      }),
      dataConverter,
    });
    await worker.runUntil(async () => {
      for (const [name, record] of Object.entries(recorders)) {
        if (only && !only.has(name)) continue;
        const workflowId = await record(client, settings.temporal.taskQueue);
        const history = await client.workflow.getHandle(workflowId).fetchHistory();
        await writeFile(path.join(historiesDir, `${name}.${stamp}.json`), `${historyToJSON(history)}\n`);
      }
    });
    for (const [name, history] of Object.entries(only ? {} : await recordConnectorHistories())) {
      await writeFile(path.join(historiesDir, `${name}.${stamp}.json`), `${history}\n`);
    }
    await connection.close();
    await native.close();
    await database.close();
  });
});

describe('replaying recorded workflow histories', () => {
  it('has a recorded history for every workflow the worker runs', async () => {
    const recorded = (await loadHistories()).map(({ file }) => file.replace(/(\.[^.]+)?\.json$/, ''));
    expect(new Set(recorded)).toEqual(new Set(Object.keys(workflows)));
  });

  it('replays every history without non-determinism', async () => {
    const histories = await loadHistories();
    expect(histories.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter },
      histories.map(({ workflowId, history }) => ({ workflowId, history })),
    )) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
