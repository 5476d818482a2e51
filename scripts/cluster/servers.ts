import path from 'node:path';
import { startLocalDatabase, type Log } from '../local-servers/index.js';
import type { ClusterBinaries } from './binaries.js';
import { findPostgresBin, startPostgres } from './postgres.js';
import { childPid, pidByArguments } from './process-tree.js';
import { writeTemporalConfig } from './temporal-config.js';
import { setUpTemporalSchemas } from './temporal-schema.js';
import { startTemporalServer } from './temporal-server.js';
import { startTemporalUi } from './temporal-ui.js';

export interface ClusterServers {
  temporalAddress: string;
  temporalUiUrl?: string;
  mongoUri: string;
  /** The servers' own pids (not their guards'), for CPU figures. */
  pids: { temporal?: number; database?: number };
  /** Temporal UI, Temporal, FerretDB, PostgreSQL, in that order. */
  stop(): Promise<void>;
}

/**
 * PostgreSQL and FerretDB, Temporal's schemas, the Temporal server (namespace and search attributes
 * registered), then Temporal UI when `uiPort` is given. Stops what it started if a step fails.
 */
export async function startClusterServers(options: {
  binaries: ClusterBinaries;
  dir: string;
  ports: { postgres: number; mongo: number; temporal: number; ui?: number };
  historyShards: number;
  namespace: string;
  codecEndpoint: string;
  log: Log;
}): Promise<ClusterServers> {
  const { binaries, dir, ports, log } = options;
  const logFile = (name: string) => path.join(dir, 'logs', `${name}.log`);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const each of stops.splice(0).reverse()) await each().catch((error: unknown) => log(`stop failed: ${String(error)}`));
  };
  try {
    const postgresBin = findPostgresBin();
    const postgresDir = path.join(dir, 'postgres');
    log(`Starting PostgreSQL ${path.basename(path.dirname(postgresBin))} on 127.0.0.1:${ports.postgres} and FerretDB on 127.0.0.1:${ports.mongo}`);
    const postgres = await startPostgres({ bin: postgresBin, dir: postgresDir, port: ports.postgres, guardBinary: binaries.guard, logFile: logFile('postgres') });
    stops.push(postgres.stop);
    const ferretDir = path.join(dir, 'ferretdb');
    const database = await startLocalDatabase({ binaries, port: ports.mongo, dataDir: ferretDir, logFile: logFile('ferretdb') });
    stops.push(database.stop);

    log(`Temporal: schemas (temporal-sql-tool), then the server with ${options.historyShards} history shards on 127.0.0.1:${ports.temporal}`);
    await setUpTemporalSchemas({
      sqlTool: binaries.sqlTool, temporalModuleDir: binaries.temporalModuleDir, postgres, createdMarker: path.join(postgresDir, 'temporal-schemas-created'),
    });
    const config = await writeTemporalConfig({
      temporalModuleDir: binaries.temporalModuleDir, dir: path.join(dir, 'temporal'), postgres, frontendPort: ports.temporal, historyShards: options.historyShards,
    });
    const temporal = await startTemporalServer({
      binary: binaries.temporalServer, guardBinary: binaries.guard, config, namespace: options.namespace, logFile: logFile('temporal'),
    });
    stops.push(temporal.stop);

    const ui = ports.ui
      ? await startTemporalUi({
          binary: binaries.ui, guardBinary: binaries.guard, dir: path.join(dir, 'temporal-ui'), port: ports.ui,
          temporalAddress: temporal.address, namespace: options.namespace, codecEndpoint: options.codecEndpoint, logFile: logFile('temporal-ui'),
        })
      : undefined;
    if (ui) stops.push(ui.stop);
    return {
      temporalAddress: temporal.address,
      temporalUiUrl: ui?.url,
      mongoUri: database.uri,
      pids: {
        temporal: childPid(temporal.process.pid),
        database: pidByArguments(['-data', ferretDir]),
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
