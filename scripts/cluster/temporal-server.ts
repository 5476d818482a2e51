import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import protoModule from '@temporalio/proto';
import { ensureSearchAttributes } from '../../temporal/ensure-search-attributes.js';
import { startGuarded, type GuardedProcess } from '../local-servers/guarded-process.js';
import type { TemporalServerConfig } from './temporal-config.js';

export interface RunningTemporalServer {
  address: string;
  process: GuardedProcess;
  stop(): Promise<void>;
}

/** How long closed workflows stay visible in Temporal: docker-compose's DEFAULT_NAMESPACE_RETENTION (168h). */
const RETENTION = '7 days';
const { TaskQueueType } = protoModule.temporal.api.enums.v1;
const GRPC_NOT_FOUND = 5;

/** Retries `attempt` every 250 ms until it resolves, the process dies or `seconds` pass. */
async function until<T>(what: string, seconds: number, isDead: () => boolean, attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (isDead()) throw new Error(`the Temporal server exited before ${what}`);
    try {
      return await attempt();
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`${what}: no success within ${seconds} s: ${String(lastError)}`);
}

/**
 * Registers `namespace` when missing (what temporalio/auto-setup does for compose) and the custom
 * search attributes before any worker starts: two workers registering them at once could collide.
 */
async function prepareNamespace(connection: Connection, namespace: string) {
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } catch (error) {
    if ((error as { code?: number }).code !== GRPC_NOT_FOUND) throw error;
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(RETENTION) });
  }
  await ensureSearchAttributes(connection, namespace);
}

/**
 * The frontend answers (and namespaces resolve) before the history and matching services have joined
 * its membership ring, notably on a restart: until then calls that reach them fail with "Not enough
 * hosts to serve the request". Ready once history answers "not found" for a workflow that does not
 * exist and matching describes a task queue.
 */
async function servesWorkflows(connection: Connection, namespace: string) {
  const notFound = await connection.workflowService
    .describeWorkflowExecution({ namespace, execution: { workflowId: 'cluster-readiness-probe' } })
    .then(() => true, (error: { code?: number }) => error.code === GRPC_NOT_FOUND);
  if (!notFound) throw new Error('the history service does not answer yet');
  await connection.workflowService.describeTaskQueue({ namespace, taskQueue: { name: 'cluster-readiness-probe' }, taskQueueType: TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW });
}

/** Starts `temporal-server start` (all four services in one process) and waits until `namespace` is usable. */
export async function startTemporalServer(options: {
  binary: string;
  guardBinary: string;
  config: TemporalServerConfig;
  namespace: string;
  logFile: string;
}): Promise<RunningTemporalServer> {
  const server = startGuarded({
    guardBinary: options.guardBinary,
    command: options.binary,
    // --root and --config are joined by the server: an absolute --config alone would turn relative.
    args: ['--root', path.dirname(options.config.configDir), '--config', path.basename(options.config.configDir), '--env', options.config.env, '--allow-no-auth', 'start'],
    logFile: options.logFile,
  });
  let dead = false;
  void server.exited.then(() => (dead = true));
  const address = `127.0.0.1:${options.config.frontendPort}`;
  try {
    const connection = await until('its frontend answered', 120, () => dead, async () => {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.workflowService.getSystemInfo({}).catch(async (error: unknown) => {
        await connection.close();
        throw error;
      });
      return connection;
    });
    try {
      await until(`namespace "${options.namespace}" was ready`, 60, () => dead, () => prepareNamespace(connection, options.namespace));
      await until('history and matching answered', 120, () => dead, () => servesWorkflows(connection, options.namespace));
    } finally {
      await connection.close();
    }
  } catch (error) {
    await server.stop();
    throw new Error(`${(error as Error).message}\nTemporal server output:\n${server.recentOutput()}`);
  }
  return { address, process: server, stop: () => server.stop() };
}
