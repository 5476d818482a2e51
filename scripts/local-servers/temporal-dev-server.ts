import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { devServerSearchAttributeArgs } from '../../temporal/ensure-search-attributes.js';
import { allSearchAttributeKeys } from '../../temporal/search-attributes.js';
import { startGuarded } from './guarded-process.js';
import { freePort } from './free-port.js';

export interface RunningTemporal {
  address: string;
  uiUrl?: string;
  stop(): Promise<void>;
  /** SIGKILLs the server (not its guard), as a crash would; resolves once it exited. Absent when the SDK runs the server. */
  kill?(): Promise<void>;
}

export interface TemporalDevServerOptions {
  /** Path of a Temporal CLI binary; undefined: let the SDK download one (machines with internet). */
  cliPath?: string;
  guardBinary?: string;
  port: number;
  uiPort?: number;
  namespace: string;
  dbFile: string;
  logFile?: string;
  codecEndpoint?: string;
}

/** Starts `temporal server start-dev` (SQLite file) and waits until the namespace answers. */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<RunningTemporal> {
  if (!options.cliPath || !options.guardBinary) return startWithSdkDownload(options);
  // The CLI picks its internal services' ports itself (free when checked, not when bound): a port taken
  // in between makes it exit at once. Starting again picks others; the frontend port stays ours.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startCli({ ...options, cliPath: options.cliPath, guardBinary: options.guardBinary });
    } catch (error) {
      if (attempt >= 3 || !/address already in use/.test((error as Error).message)) throw error;
    }
  }
}

async function startCli(options: TemporalDevServerOptions & { cliPath: string; guardBinary: string }): Promise<RunningTemporal> {
  mkdirSync(path.dirname(options.dbFile), { recursive: true });
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(options.port),
    '--http-port', String(await freePort()),
    '--metrics-port', String(await freePort()),
    '--db-filename', options.dbFile,
    '--namespace', options.namespace,
    '--log-level', 'warn',
    '--dynamic-config-value', 'system.enableActivityEagerExecution=true',
    ...devServerSearchAttributeArgs(),
    ...(options.uiPort ? ['--ui-ip', '127.0.0.1', '--ui-port', String(options.uiPort)] : ['--headless']),
    ...(options.codecEndpoint ? ['--ui-codec-endpoint', options.codecEndpoint] : []),
  ];
  const server = startGuarded({
    guardBinary: options.guardBinary,
    command: options.cliPath,
    args,
    logFile: options.logFile ?? path.join(path.dirname(options.dbFile), 'logs', 'temporal.log'),
  });
  const address = `127.0.0.1:${options.port}`;
  let exitCode: number | null | undefined;
  void server.exited.then((code) => (exitCode = code));
  try {
    await waitForNamespace({ address, namespace: options.namespace, isDead: () => exitCode !== undefined });
  } catch (error) {
    await server.stop();
    throw new Error(`${(error as Error).message}\nTemporal dev server output:\n${server.recentOutput()}`);
  }
  return {
    address,
    uiUrl: options.uiPort ? `http://localhost:${options.uiPort}` : undefined,
    stop: () => server.stop(),
    kill: () => server.kill(),
  };
}

async function waitForNamespace(options: { address: string; namespace: string; isDead: () => boolean }) {
  const deadline = Date.now() + 60_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (options.isDead()) throw new Error('Temporal dev server exited before it was ready');
    try {
      const connection = await Connection.connect({ address: options.address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: options.namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`Temporal dev server not ready at ${options.address} after 60 s: ${String(lastError)}`);
}

/** Fallback for machines with internet and no Go: the SDK downloads and runs the CLI itself. */
async function startWithSdkDownload(options: TemporalDevServerOptions): Promise<RunningTemporal> {
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: '127.0.0.1',
      port: options.port,
      namespace: options.namespace,
      dbFilename: options.dbFile,
      ui: options.uiPort !== undefined,
      uiPort: options.uiPort,
      searchAttributes: allSearchAttributeKeys,
      extraArgs: options.codecEndpoint ? ['--ui-codec-endpoint', options.codecEndpoint] : [],
    },
  });
  return {
    address: env.address,
    uiUrl: options.uiPort ? `http://localhost:${options.uiPort}` : undefined,
    stop: () => env.teardown(),
  };
}
