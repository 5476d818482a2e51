import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import {
  freePort,
  prepareLocalServers,
  startLocalDatabase,
  startLocalTemporal,
  type LocalServerBinaries,
} from '../scripts/local-servers/index.js';
import { workflowsPath } from '../workers/worker.js';
import { buildConsole } from '../scripts/console-build.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    mongoUri: string;
    workflowBundlePath: string;
    binaries: LocalServerBinaries;
  }
}

const log = (message: string) => process.stderr.write(`[test setup] ${message}\n`);

/** One real Temporal dev server and one FerretDB for the whole run, on free loopback ports in a temp dir. */
export default async function setup(project: TestProject) {
  // The secure-form page is tested in real Chromium (Debian's package): install it once if missing.
  if (!existsSync('/usr/bin/chromium')) {
    log('Installing Chromium for the browser tests (scripts/ensure-chromium.sh)...');
    const installed = spawnSync('bash', [fileURLToPath(new URL('../scripts/ensure-chromium.sh', import.meta.url))], { stdio: 'inherit' });
    if (installed.status !== 0) log('Chromium could not be installed: the browser tests will say so.');
  }
  // The console's end-to-end tests load the compiled console (dist/console), as npm start serves it.
  await buildConsole();
  const root = await mkdtemp(path.join(tmpdir(), 'switchboard-test-'));
  const binaries = await prepareLocalServers({ temporalCliPath: process.env.TEMPORAL_CLI_PATH, log });
  const [database, temporal] = await Promise.all([
    startLocalDatabase({ binaries, port: await freePort(), dataDir: path.join(root, 'ferretdb'), logFile: path.join(root, 'ferretdb.log') }),
    startLocalTemporal({
      binaries,
      port: await freePort(),
      namespace: 'default',
      dbFile: path.join(root, 'temporal.db'),
      logFile: path.join(root, 'temporal.log'),
    }),
  ]);

  const bundle = await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: silentLogger });
  const workflowBundlePath = path.join(root, 'workflow-bundle.js');
  await writeFile(workflowBundlePath, bundle.code);

  project.provide('temporalAddress', temporal.address);
  project.provide('mongoUri', database.uri);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('binaries', binaries);
  log(`Temporal ${temporal.address}, FerretDB ${database.uri}, files in ${root}`);

  return async () => {
    await Promise.allSettled([temporal.stop(), database.stop()]);
    await rm(root, { recursive: true, force: true });
  };
}

const silentLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message: string) => log(message),
  error: (message: string) => log(message),
};
