import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { freePort } from '../../scripts/local-servers/index.js';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface StartedProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  ports: { api: number; temporal: number; ui: number; mongo: number };
}

/** Runs `npm start`'s script exactly as npm does (node --import tsx scripts/start.ts), on free ports. */
export async function spawnStart(options: { dataDir: string; env?: Record<string, string> }): Promise<StartedProcess> {
  const ports = { api: await freePort(), temporal: await freePort(), ui: await freePort(), mongo: await freePort() };
  const { TEMPORAL_ADDRESS: _t, MONGODB_URI: _m, ...inherited } = process.env;
  const temporalCli = inject('binaries').temporalCli;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: projectRoot,
    env: {
      ...inherited,
      DATA_DIR: options.dataDir,
      PORT: String(ports.api),
      TEMPORAL_PORT: String(ports.temporal),
      TEMPORAL_UI_PORT: String(ports.ui),
      MONGODB_PORT: String(ports.mongo),
      LOG_LEVEL: 'warn',
      ...(temporalCli ? { TEMPORAL_CLI_PATH: temporalCli } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited, ports };
}

export async function waitForOutput(started: StartedProcess, pattern: RegExp, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void started.exited.then(() => (exited = true));
  while (!pattern.test(started.output())) {
    if (exited) throw new Error(`process exited before printing ${pattern}:\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Pids of live processes whose command line mentions `marker` (e.g. a data directory). */
export function processesMentioning(marker: string): { pid: number; command: string }[] {
  const found: { pid: number; command: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      const state = /State:\s+(\w)/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1];
      if (command.includes(marker) && state !== 'Z') found.push({ pid: Number(entry), command });
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}
