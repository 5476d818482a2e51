import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { retry, type Services } from '../runtime/services.js';
import { ensureSearchAttributes } from '../temporal/ensure-search-attributes.js';
import { ensureRetentionSchedule } from '../temporal/retention-schedule.js';

/**
 * Activities at once. Nearly all of them write to the database, whose (FerretDB, SQLite) writes go one at
 * a time: the SDK's 100 only lengthen every write until attempts outlive their timeouts and run again.
 * Beyond these, work waits in Temporal's queue, where no timeout runs.
 */
const MAX_CONCURRENT_ACTIVITIES = 32;

export interface RunningWorker {
  worker: Worker;
  /** Stops polling, lets running activities finish (up to the grace period), then closes the connection. */
  shutdown(): Promise<void>;
  /** Settles when the worker stops; rejects if it crashed. */
  done: Promise<void>;
}

/** Source (tsx, tests) or compiled (dist) — the bundler resolves either. */
export function workflowsPath(): string {
  const source = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
  return existsSync(source) ? source : fileURLToPath(new URL('../workflows/index.js', import.meta.url));
}

export async function startWorker(
  services: Services,
  options: { workflowBundlePath?: string; identity?: string } = {},
): Promise<RunningWorker> {
  const { settings, logger } = services;
  const { address, tls } = settings.temporal;
  const connection = await retry(() => NativeConnection.connect({ address, ...(tls ? { tls } : {}) }), {
    what: 'Temporal',
    logger,
  });
  const added = await ensureSearchAttributes(services.temporal.connection, settings.temporal.namespace);
  if (added.length > 0) logger.info({ added }, 'registered search attributes');

  const worker = await Worker.create({
    connection,
    namespace: settings.temporal.namespace,
    taskQueue: settings.temporal.taskQueue,
    ...(options.identity ? { identity: options.identity } : {}),
    ...(options.workflowBundlePath
      ? { workflowBundle: { codePath: options.workflowBundlePath } }
      : { workflowsPath: workflowsPath() }),
    activities: createActivities({
      db: services.database.db,
      fields: services.fields,
      directory: services.directory,
      providers: settings.providers,
      publicBaseUrl: settings.http.publicBaseUrl,
      client: services.temporal.client,
      taskQueue: settings.temporal.taskQueue,
      vaultDb: services.vaultDatabase.db,
      retention: settings.retention,
    }),
    dataConverter: services.dataConverter,
    shutdownGraceTime: settings.shutdownGraceMs,
    // Open conversations outside the cache cost the worker nothing; one that is needed again replays its (short) history.
    maxCachedWorkflows: settings.maxCachedWorkflows,
    maxConcurrentActivityTaskExecutions: MAX_CONCURRENT_ACTIVITIES,
  });
  const done = worker.run();
  logger.info({ taskQueue: settings.temporal.taskQueue }, 'worker polling');
  // A server still starting (its frontend up before history) answers Unavailable for a moment.
  await retry(() => ensureRetentionSchedule(services.temporal.client, { taskQueue: settings.temporal.taskQueue, cron: settings.retention.scheduleCron }), {
    what: 'Temporal (retention schedule)',
    logger,
  });

  return {
    worker,
    done,
    shutdown: once(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done.catch((error) => logger.error({ err: error }, 'worker stopped with an error'));
      await connection.close();
    }),
  };
}

/** Shutting down twice (signal handler and caller, say) waits for the first instead of failing. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}
