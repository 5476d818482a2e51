import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import { runSystemCheck } from '../../runtime/system.js';
import { allSearchAttributeKeys } from '../../temporal/search-attributes.js';
import { startPrivateDatabase, startPrivateTemporal } from '../support/private-servers.js';
import { startTestSystem } from '../support/system.js';
import { testSettings } from '../support/settings.js';
import { settingsToEnv, spawnWorkerProcess } from '../support/worker-process.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('private servers for fault-injection tests', () => {
  it('a killed and restarted Temporal keeps a workflow started before, and the client reconnects', async () => {
    const temporal = await startPrivateTemporal();
    cleanups.push(() => temporal.stop());
    const connection = await Connection.connect({ address: temporal.address });
    cleanups.push(() => connection.close());
    const client = new Client({ connection, namespace: temporal.namespace });

    // No worker polls this queue: the workflow stays running across the crash.
    const handle = await client.workflow.start('systemCheckWorkflow', {
      taskQueue: `no-worker-${randomUUID()}`,
      workflowId: `crash-${randomUUID()}`,
      args: [{ requestedBy: 'private-servers test' }],
    });
    await temporal.kill();
    await temporal.restart();

    const description = await handle.describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.runId).toBe(handle.firstExecutionRunId);
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: temporal.namespace });
    expect(Object.keys(customAttributes ?? {})).toEqual(expect.arrayContaining(allSearchAttributeKeys.map((key) => key.name)));
  }, 90_000);

  it('a killed and restarted FerretDB keeps a document inserted before, and the driver reconnects', async () => {
    const database = await startPrivateDatabase();
    cleanups.push(() => database.stop());
    const mongo = new MongoClient(database.uri, { serverSelectionTimeoutMS: 20_000 });
    cleanups.push(() => mongo.close());
    const collection = mongo.db('crash').collection<{ _id: string; survived: boolean }>('documents');

    await collection.insertOne({ _id: 'before-the-crash', survived: true });
    await database.kill();
    await database.restart();

    expect(await collection.findOne({ _id: 'before-the-crash' })).toEqual({ _id: 'before-the-crash', survived: true });
  }, 60_000);

  it('a worker process polls the test system’s task queue until killed', async () => {
    const system = await startTestSystem({ api: false, worker: false });
    cleanups.push(() => system.stop());
    const worker = await spawnWorkerProcess({ settings: system.settings });
    cleanups.push(() => worker.kill());

    const result = await runSystemCheck(system.services, 'worker process');
    expect(result).toMatchObject({ requestedBy: 'worker process' });
    expect(worker.logs()).toContain(system.settings.temporal.taskQueue);

    await worker.kill();
    expect(() => process.kill(worker.pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  }, 180_000);

  it('configures the worker process exactly as the test system (settingsToEnv inverts loadConfig)', () => {
    const settings = testSettings({
      TWILIO_API_BASE_URL: 'http://127.0.0.1:9/twilio',
      VAULT_MONGODB_URI: 'mongodb://127.0.0.1:9/',
      FORM_REVEAL_TTL_SECONDS: '7',
      CONVERSATION_INACTIVITY_MINUTES: '3',
      DELIVERY_RETRY_HORIZON_MINUTES: '0.25',
    });
    expect(loadConfig(settingsToEnv(settings))).toEqual(settings);
  });
});
