import type { Logger } from 'pino';
import { startApiServer, type RunningApi } from '../api/server.js';
import { startWorker, type RunningWorker } from '../workers/worker.js';
import type { SystemCheckResult } from '../workflows/system-check.js';
import { createServices, type Services } from './services.js';
import type { Settings } from './settings.js';

export interface RunningSystem {
  services: Services;
  worker?: RunningWorker;
  api?: RunningApi;
  /** Clean stop in dependency order: HTTP first, then the worker, then connections. */
  stop(): Promise<void>;
}

/** Starts the API and/or the worker of one Switchboard process. */
export async function startSystem(options: {
  settings: Settings;
  logger?: Logger;
  run: { api: boolean; worker: boolean };
  workflowBundlePath?: string;
  apiPort?: number;
}): Promise<RunningSystem> {
  const services = await createServices(options.settings, { logger: options.logger });
  let worker: RunningWorker | undefined;
  let api: RunningApi | undefined;
  try {
    if (options.run.worker) worker = await startWorker(services, { workflowBundlePath: options.workflowBundlePath });
    if (options.run.api) api = await startApiServer(services, { port: options.apiPort });
  } catch (error) {
    await worker?.shutdown();
    await services.close();
    throw error;
  }
  return {
    services,
    worker,
    api,
    async stop() {
      await api?.close();
      await worker?.shutdown();
      await services.close();
    },
  };
}

/** Runs one end-to-end self-check workflow and returns its result. */
export async function runSystemCheck(services: Services, requestedBy: string): Promise<SystemCheckResult> {
  const { client } = services.temporal;
  return client.workflow.execute<(input: { requestedBy: string }) => Promise<SystemCheckResult>>('systemCheckWorkflow', {
    taskQueue: services.settings.temporal.taskQueue,
    workflowId: `system-check-${new Date().toISOString().replace(/[:.]/g, '-')}`,
    args: [{ requestedBy }],
    workflowExecutionTimeout: '2 minutes',
  });
}
