import path from 'node:path';
import type { Config } from '../../config/index.js';
import { isPortFree } from '../local-servers/free-port.js';
import type { Log } from '../local-servers/index.js';
import { clusterAppEnv } from './app-env.js';
import { startApiReplica, startWorkerProcess, type AppProcess } from './app-processes.js';
import { prepareClusterBinaries } from './binaries.js';
import { startClusterServers, type ClusterServers } from './servers.js';

export interface ClusterPlan {
  /** Everything the cluster keeps: PostgreSQL, FerretDB, configs, logs, dev secrets. */
  dir: string;
  /** Secrets resolved, `dataDir` = `dir`, `http.publicBaseUrl` the one address of every replica. */
  config: Config;
  apiPorts: number[];
  workers: number;
  /** `ui` undefined: no Temporal UI. */
  ports: { postgres: number; mongo: number; temporal: number; ui?: number };
  historyShards: number;
  /** Added to the API replicas' and workers' environment (the bench: LOG_LEVEL, the Twilio stand-in). */
  env?: Record<string, string>;
  log: Log;
}

export interface RunningCluster {
  servers: ClusterServers;
  apis: AppProcess[];
  workers: AppProcess[];
  /** API replicas, then workers (they drain), then the servers: each cleanly. */
  stop(): Promise<void>;
}

async function assertPortsFree(plan: ClusterPlan) {
  const wanted: [number | undefined, string][] = [
    ...plan.apiPorts.map((port, index): [number, string] => [port, index === 0 ? 'PORT' : `PORT (API replica ${index + 1} takes PORT+${index})`]),
    [plan.ports.temporal, 'TEMPORAL_PORT'],
    [plan.ports.ui, 'TEMPORAL_UI_PORT'],
    [plan.ports.mongo, 'MONGODB_PORT'],
  ];
  for (const [port, variable] of wanted) {
    if (port !== undefined && !(await isPortFree(port))) throw new Error(`Port ${port} is already in use: stop what uses it or set ${variable}`);
  }
}

/** Waits for all; if any failed, stops those that started and throws the first failure. */
async function allOrNothing(starts: Promise<AppProcess>[]): Promise<AppProcess[]> {
  const settled = await Promise.allSettled(starts);
  const failure = settled.find((result) => result.status === 'rejected');
  const started = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  if (!failure) return started;
  await Promise.all(started.map((each) => each.stop()));
  throw failure.reason;
}

/** Builds what is missing, then starts the servers, the API replicas and the workers. */
export async function startCluster(plan: ClusterPlan): Promise<RunningCluster> {
  const { config, log } = plan;
  const binaries = await prepareClusterBinaries(log);
  await assertPortsFree(plan);
  const servers = await startClusterServers({
    binaries, dir: plan.dir, ports: plan.ports, historyShards: plan.historyShards, namespace: config.temporal.namespace,
    codecEndpoint: `${config.http.publicBaseUrl}/codec/${config.security.operatorToken}`, log,
  });

  const logFile = (name: string) => path.join(plan.dir, 'logs', `${name}.log`);
  const env = { ...clusterAppEnv(config, { temporalAddress: servers.temporalAddress, mongoUri: servers.mongoUri, uiPort: plan.ports.ui }), ...plan.env };
  const common = { guardBinary: binaries.guard, env };
  const startWorker = (_: unknown, index: number) =>
    startWorkerProcess({
      ...common, name: `worker-${index + 1}`, logFile: logFile(`worker-${index + 1}`),
      temporalAddress: servers.temporalAddress, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue,
    });

  log(`Starting ${plan.apiPorts.length} API replicas and ${plan.workers} workers (each worker bundles the workflows first)`);
  let started: AppProcess[];
  try {
    started = await allOrNothing([
      ...plan.apiPorts.map((port, index) => startApiReplica({ ...common, name: `api-${index + 1}`, logFile: logFile(`api-${index + 1}`), port })),
      ...Array.from({ length: plan.workers }, startWorker),
    ]);
  } catch (error) {
    await servers.stop();
    throw error;
  }
  const apis = started.slice(0, plan.apiPorts.length);
  const workers = started.slice(plan.apiPorts.length);

  let stopping: Promise<void> | undefined;
  return {
    servers,
    apis,
    workers,
    stop: () =>
      (stopping ??= (async () => {
        await Promise.all(apis.map((api) => api.stop()));
        await Promise.all(workers.map((worker) => worker.stop()));
        await servers.stop();
      })()),
  };
}
