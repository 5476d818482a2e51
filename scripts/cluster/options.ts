import { rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/index.js';
import { withDevSecrets } from '../../runtime/settings.js';
import { freePort } from '../local-servers/free-port.js';
import type { Log } from '../local-servers/index.js';
import type { ClusterPlan } from './cluster.js';

export const usage = `npm run cluster [-- options]

A production-like Switchboard on this machine: Temporal server on PostgreSQL, Temporal UI,
FerretDB, API replicas on PORT, PORT+1, ... and workers. Ctrl+C stops all of it.

  --apis <n>       API replicas (default 2)
  --workers <n>    workers (default 2)
  --shards <n>     Temporal history shards (default 4; fixed once the cluster's data exists)
  --data-dir <d>   where the cluster keeps its data (default DATA_DIR/cluster)
  --check          start everything on free ports with fresh data (DATA_DIR/cluster-check),
                   run one end-to-end round trip, stop; exit 0 when it passed`;

export interface ClusterArgs {
  help: boolean;
  check: boolean;
  apis: number;
  workers: number;
  shards: number;
  dataDir?: string;
}

function count(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > 64) throw new Error(`--${name} must be a whole number from ${min} to 64, not "${raw}"`);
  return value;
}

export function parseClusterArgs(argv: string[]): ClusterArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean', short: 'h' },
      check: { type: 'boolean' },
      apis: { type: 'string' },
      workers: { type: 'string' },
      shards: { type: 'string' },
      'data-dir': { type: 'string' },
    },
    strict: true,
  });
  return {
    help: values.help ?? false,
    check: values.check ?? false,
    apis: count('apis', values.apis, 2, 1),
    workers: count('workers', values.workers, 2, 0),
    shards: count('shards', values.shards, 4, 1),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
  };
}

/**
 * Ports and data from the usual variables (PORT, TEMPORAL_PORT, TEMPORAL_UI_PORT, MONGODB_PORT,
 * DATA_DIR); PostgreSQL always on a free port. `--check` takes free ports only, so it runs beside
 * anything, on data of its own that it wipes first.
 */
export async function clusterPlan(args: ClusterArgs, log: Log, env: NodeJS.ProcessEnv = process.env): Promise<ClusterPlan> {
  const base = loadConfig(env);
  const defaultDir = path.join(base.dataDir, args.check ? 'cluster-check' : 'cluster');
  const dir = path.resolve(args.dataDir ?? defaultDir);
  if (args.check && !args.dataDir) rmSync(dir, { recursive: true, force: true });

  const free = () => freePort();
  const apiPorts = args.check ? await Promise.all(Array.from({ length: args.apis }, free)) : Array.from({ length: args.apis }, (_, i) => base.http.port + i);
  const ports = {
    postgres: await free(),
    mongo: args.check ? await free() : base.mongo.embeddedPort,
    temporal: args.check ? await free() : base.temporal.embeddedPort,
    ui: args.check ? await free() : base.temporal.uiPort,
  };
  // The first replica's address is the public one of all (PUBLIC_BASE_URL, when set, wins); the secrets live with the cluster's data.
  const config = withDevSecrets(loadConfig({ ...env, PORT: String(apiPorts[0]), DATA_DIR: dir, TEMPORAL_UI_PORT: String(ports.ui) }));
  return { dir, config, apiPorts, workers: args.workers, ports, historyShards: args.shards, log };
}
