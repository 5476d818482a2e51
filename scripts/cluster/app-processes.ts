import { Connection } from '@temporalio/client';
import protoModule from '@temporalio/proto';
import { startGuarded, type GuardedProcess } from '../local-servers/guarded-process.js';
import { projectRoot } from '../local-servers/paths.js';
import { childPid } from './process-tree.js';

const { TaskQueueType } = protoModule.temporal.api.enums.v1;

/** One Switchboard process of the cluster: an API replica or a worker, run by its normal entry point. */
export interface AppProcess {
  name: string;
  /** API replicas only. */
  url?: string;
  /** Of the Node process itself (not of its guard). */
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

interface StartOptions {
  name: string;
  guardBinary: string;
  env: Record<string, string>;
  logFile: string;
  readyTimeoutMs?: number;
}

/** `node --import tsx <script>` under the guard, as `npm run api` / `npm run worker` start it. */
function startNode(script: string, options: StartOptions): { process: GuardedProcess; isDead: () => boolean } {
  const child = startGuarded({
    guardBinary: options.guardBinary,
    command: process.execPath,
    args: ['--import', 'tsx', script],
    cwd: projectRoot,
    env: { ...process.env, ...options.env },
    logFile: options.logFile,
  });
  let dead = false;
  void child.exited.then(() => (dead = true));
  return { process: child, isDead: () => dead };
}

async function waitUntil(what: string, options: StartOptions, started: ReturnType<typeof startNode>, ready: () => Promise<boolean>) {
  const deadline = Date.now() + (options.readyTimeoutMs ?? 180_000);
  while (!(await ready().catch(() => false))) {
    if (started.isDead() || Date.now() > deadline) {
      await started.process.stop();
      throw new Error(`${options.name} ${started.isDead() ? 'exited' : 'timed out'} before ${what} (log: ${options.logFile}):\n${started.process.recentOutput()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** An API replica (`api/main.ts`) on 127.0.0.1:`port`; ready once its /readyz answers 200 (Temporal and the database answer). */
export async function startApiReplica(options: StartOptions & { port: number }): Promise<AppProcess> {
  const url = `http://127.0.0.1:${options.port}`;
  const started = startNode('api/main.ts', { ...options, env: { ...options.env, PORT: String(options.port) } });
  await waitUntil('its /readyz answered 200', options, started, async () => (await fetch(`${url}/readyz`)).status === 200);
  return { name: options.name, url, pid: childPid(started.process.pid) ?? -1, logFile: options.logFile, stop: () => started.process.stop() };
}

/**
 * A worker (`workers/main.ts`); ready once Temporal lists it among the task queue's pollers (the SDK's
 * identity is `<pid>@<host>`), which does not depend on its log level.
 */
export async function startWorkerProcess(
  options: StartOptions & { temporalAddress: string; namespace: string; taskQueue: string },
): Promise<AppProcess> {
  const started = startNode('workers/main.ts', options);
  const connection = await Connection.connect({ address: options.temporalAddress });
  let pid: number | undefined;
  try {
    await waitUntil('it polled its task queue', options, started, async () => {
      pid ??= childPid(started.process.pid);
      const { pollers } = await connection.workflowService.describeTaskQueue({
        namespace: options.namespace,
        taskQueue: { name: options.taskQueue },
        taskQueueType: TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      return pid !== undefined && pollers.some((poller) => poller.identity?.startsWith(`${pid}@`));
    });
  } finally {
    await connection.close();
  }
  return { name: options.name, pid: pid!, logFile: options.logFile, stop: () => started.process.stop() };
}
