import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { envSchema } from '../config/schema.js';
import { startCluster } from '../scripts/cluster/cluster.js';
import { clusterPlan } from '../scripts/cluster/options.js';
import { findPostgresBin } from '../scripts/cluster/postgres.js';
import { hasGo } from '../scripts/local-servers/build-tools.js';
import { addAgent } from './agents.js';
import { clusterSystemUnderTest } from './cluster-sut.js';
import { watchServerCpu } from './cpu-window.js';
import { runIngest, type Ingest } from './ingest.js';
import { MessageWatch } from './message-watch.js';
import { scaled, type BenchOptions } from './options.js';
import { measureFloor, type Floor } from './scenarios/floor.js';
import type { TwilioStandin } from '../test/support/standins/twilio-standin.js';
import { createBenchWorld, startBenchTwilio, type BenchWorld } from './world.js';

export interface ClusterIngest {
  /** Why nothing was measured (no Go, no PostgreSQL): reported as such instead of failing the bench. */
  skipped?: string;
  /** Start-up of the cluster (2 API replicas, 1 worker; binaries already built count as nothing). */
  startSeconds?: number;
  /** Bare signalWithStart on the cluster's own Temporal server (PostgreSQL, 4 shards). */
  floor?: Floor;
  oneWorker?: Ingest;
  twoWorkers?: Ingest;
}

/** Why the cluster cannot run here, or undefined. */
function unavailable(): string | undefined {
  if (!hasGo()) return 'Go not found (needed to build the Temporal server)';
  try {
    findPostgresBin();
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}

/** Webhooks spread over every replica in turn, as a load balancer would: each call of `sendInboundSms` reads `api` once. */
function roundRobin(world: BenchWorld, urls: string[]): BenchWorld {
  let next = 0;
  return { ...world, get api() { return urls[next++ % urls.length]!; } };
}

interface FreshRun {
  startSeconds: number;
  floor?: Floor;
  ingest: Ingest;
}

/**
 * A new cluster with `workers` workers on data of its own (so no backlog of an earlier run competes),
 * its floor when asked, then sustained ingest at 64 in flight; stopped again.
 */
async function onFreshCluster(options: BenchOptions, say: (message: string) => void, run: { dir: string; workers: number; twilio: TwilioStandin; floor: boolean }): Promise<FreshRun> {
  await mkdir(run.dir, { recursive: true, mode: 0o755 }); // PostgreSQL may run as the postgres user, which must reach it.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !(name in envSchema.shape)));
  const env = {
    ...inherited,
    ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`, OPERATOR_TOKEN: randomBytes(24).toString('hex'),
    ADMIN_TOKEN: randomBytes(24).toString('hex'), PSEUDONYM_KEY: randomBytes(32).toString('base64'),
  };
  const plan = await clusterPlan({ help: false, check: true, apis: 2, workers: run.workers, shards: 4, dataDir: run.dir }, say, env);
  const started = performance.now();
  const cluster = await startCluster({ ...plan, ports: { ...plan.ports, ui: undefined }, env: { LOG_LEVEL: 'warn', TWILIO_API_BASE_URL: run.twilio.baseUrl } });
  let watch: MessageWatch | undefined;
  try {
    const startSeconds = Math.round((performance.now() - started) / 1000);
    watchServerCpu({ database: cluster.servers.pids.database, temporal: cluster.servers.pids.temporal });
    if (run.floor) say("clusterIngest: floor on the cluster's Temporal server");
    const floor = run.floor ? await measureFloor(cluster.servers.temporalAddress, options) : undefined;

    const urls = cluster.apis.map((api) => api.url!);
    const world = await createBenchWorld({ api: urls[0]!, publicBaseUrl: plan.config.http.publicBaseUrl, adminToken: plan.config.security.adminToken!, twilio: run.twilio });
    const agent = await addAgent(world, { availability: 'away' });
    watch = await MessageWatch.open({ ...world, api: urls.at(-1)! }, agent);
    say(`clusterIngest: ${options.sustainedSeconds} s at 64 in flight with ${run.workers} worker(s)`);
    const ingest = await runIngest(roundRobin(world, urls), watch, clusterSystemUnderTest(cluster), {
      inFlight: 64, seconds: options.sustainedSeconds, series: 400 + run.workers, pool: 256, drainSeconds: scaled(options, 30, 10),
    });
    return { startSeconds, ...(floor ? { floor } : {}), ingest };
  } finally {
    watch?.close();
    await cluster.stop();
  }
}

/**
 * Sustained ingest at 64 in flight on `npm run cluster`'s topology (Temporal server on PostgreSQL,
 * FerretDB, 2 API replicas, webhooks spread over both, the agent's stream on the second): with 1
 * worker, then on a second fresh cluster with 2. Both against the first cluster's bare floor.
 */
export async function clusterIngest(options: BenchOptions, say: (message: string) => void): Promise<ClusterIngest> {
  const reason = unavailable();
  if (reason) return { skipped: reason };
  const root = await mkdtemp(path.join(tmpdir(), 'switchboard-bench-cluster-'));
  await chmod(root, 0o755);
  const twilio = await startBenchTwilio();
  try {
    const one = await onFreshCluster(options, say, { dir: path.join(root, 'one-worker'), workers: 1, twilio, floor: true });
    const two = await onFreshCluster(options, say, { dir: path.join(root, 'two-workers'), workers: 2, twilio, floor: false });
    return { startSeconds: one.startSeconds, ...(one.floor ? { floor: one.floor } : {}), oneWorker: one.ingest, twoWorkers: two.ingest };
  } finally {
    await twilio.close();
    if (process.env.BENCH_KEEP_DATA) say(`cluster's data and logs kept in ${root}`);
    else await rm(root, { recursive: true, force: true });
  }
}
