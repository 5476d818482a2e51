import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import protoModule from '@temporalio/proto';
import { Keyring } from '../../crypto/keyring.js';
import { createDataConverter } from '../../temporal/data-converter.js';
import {
  archiveSignal,
  closeUpdate,
  failingWorkflow,
  guestbookWorkflow,
  signSignal,
  stateQuery,
} from '../fixtures/workflows/guestbook.js';
import { testSettings } from '../support/settings.js';

const settings = testSettings();
const keyring = new Keyring({ keys: settings.security.encryptionKeys });
const dataConverter = createDataConverter(keyring);
let connection: Connection;
let client: Client;
let worker: Worker;
let workerRun: Promise<void>;
let nativeConnection: NativeConnection;

beforeAll(async () => {
  connection = await Connection.connect({ address: settings.temporal.address });
  client = new Client({ connection, dataConverter });
  nativeConnection = await NativeConnection.connect({ address: settings.temporal.address });
  worker = await Worker.create({
    connection: nativeConnection,
    taskQueue: settings.temporal.taskQueue,
    workflowsPath: fileURLToPath(new URL('../fixtures/workflows/index.ts', import.meta.url)),
    dataConverter,
  });
  workerRun = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await workerRun;
  await nativeConnection?.close();
  await connection?.close();
});

function startGuestbook(title: string) {
  return client.workflow.start(guestbookWorkflow, {
    taskQueue: settings.temporal.taskQueue,
    workflowId: `guestbook-${randomUUID()}`,
    args: [{ title }],
  });
}

describe('a workflow on the real Temporal dev server', () => {
  it('is started, signalled, queried and updated', async () => {
    const handle = await startGuestbook('smoke');
    await handle.signal(signSignal, { text: 'first' });
    await handle.signal(signSignal, { text: 'second' });

    expect(await handle.query(stateQuery)).toEqual({ title: 'smoke', entries: ['first', 'second'], closed: false });

    const afterClose = await handle.executeUpdate(closeUpdate, { args: [{ reason: 'done' }] });
    expect(afterClose.closed).toBe(true);
    await handle.signal(archiveSignal);
    expect(await handle.result()).toEqual({ title: 'smoke', entries: ['first', 'second', 'closed: done'], closed: true });
  });

  it('rejects an update its validator refuses, without recording it', async () => {
    const handle = await startGuestbook('validator');
    const refused = handle.executeUpdate(closeUpdate, { args: [{ reason: '' }] });
    await expect(refused).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(refused).rejects.toMatchObject({ cause: { message: 'a reason is required' } });
    expect((await handle.query(stateQuery)).closed).toBe(false);

    await handle.executeUpdate(closeUpdate, { args: [{ reason: 'first close' }] });
    const second = handle.executeUpdate(closeUpdate, { args: [{ reason: 'second close' }] });
    await expect(second).rejects.toMatchObject({ cause: { message: 'guestbook is already closed', type: 'AlreadyClosed' } });
    expect((await handle.query(stateQuery)).entries).toEqual(['closed: first close']);
    await handle.signal(archiveSignal);
  });

  it('stores only ciphertext in history: no canary plaintext in any event', async () => {
    const canary = `CANARY-${randomUUID()}`;
    const handle = await startGuestbook(`title ${canary}`);
    await handle.signal(signSignal, { text: `signal ${canary}` });
    await handle.executeUpdate(closeUpdate, { args: [{ reason: `update ${canary}` }] });
    await handle.signal(archiveSignal);
    expect((await handle.result()).entries).toContain(`signal ${canary}`);

    const { history } = await connection.workflowService.getWorkflowExecutionHistory({
      namespace: settings.temporal.namespace,
      execution: { workflowId: handle.workflowId },
    });
    const raw = Buffer.from(protoModule.temporal.api.history.v1.History.encode(history!).finish());
    expect(history!.events!.length).toBeGreaterThan(5);
    expect(raw.includes(Buffer.from(canary))).toBe(false);
    expect(raw.includes(Buffer.from('CANARY'))).toBe(false);
    expect(raw.includes(Buffer.from('binary/encrypted'))).toBe(true);
  });

  it('keeps failure messages out of history too', async () => {
    const canary = `CANARY-${randomUUID()}`;
    const handle = await client.workflow.start(failingWorkflow, {
      taskQueue: settings.temporal.taskQueue,
      workflowId: `failing-${randomUUID()}`,
      args: [{ message: `failed on ${canary}` }],
    });
    // The client decodes the failure: the message is intact for whoever holds the key...
    await expect(handle.result()).rejects.toMatchObject({ cause: { message: `failed on ${canary}` } });
    const { history } = await connection.workflowService.getWorkflowExecutionHistory({
      namespace: settings.temporal.namespace,
      execution: { workflowId: handle.workflowId },
    });
    // ...and absent from what the server stores.
    const raw = Buffer.from(protoModule.temporal.api.history.v1.History.encode(history!).finish());
    expect(raw.includes(Buffer.from(canary))).toBe(false);
  });
});
