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
import { createDataConverter } from '../../temporal/data-converter.js';
import * as workflows from '../../workflows/index.js';
import { replayKeyring } from '../support/replay-keyring.js';
import { testSettings } from '../support/settings.js';

const historiesDir = fileURLToPath(new URL('../histories/', import.meta.url));
const dataConverter = createDataConverter(replayKeyring);

/** How to produce a representative history of each workflow, for `npm run histories:record`. */
const recorders: Record<string, (client: Client, taskQueue: string) => Promise<string>> = {
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

async function loadHistories() {
  const files = (await readdir(historiesDir)).filter((file) => file.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (file) => ({ file, workflowId: file, history: JSON.parse(await readFile(path.join(historiesDir, file), 'utf8')) })),
  );
}

describe.runIf(process.env.RECORD_HISTORIES)('recording workflow histories', () => {
  it('records one history per workflow with the replay fixture key', async () => {
    const settings = testSettings();
    const database = connectDatabase({ uri: settings.mongo.uri, dbName: settings.mongo.dbName });
    const native = await NativeConnection.connect({ address: settings.temporal.address });
    const worker = await Worker.create({
      connection: native,
      taskQueue: settings.temporal.taskQueue,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      activities: createActivities({ db: database.db }),
      dataConverter,
    });
    const connection = await Connection.connect({ address: settings.temporal.address });
    const client = new Client({ connection, dataConverter });
    await worker.runUntil(async () => {
      for (const [name, record] of Object.entries(recorders)) {
        const workflowId = await record(client, settings.temporal.taskQueue);
        const history = await client.workflow.getHandle(workflowId).fetchHistory();
        await writeFile(path.join(historiesDir, `${name}.json`), `${historyToJSON(history)}\n`);
      }
    });
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
