import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { localServersSource, TEMPORAL_CLI_MODULE, TEMPORAL_CLI_VERSION, toolsBin } from './paths.js';

export type Log = (message: string) => void;

export function hasGo(): boolean {
  return spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
}

/** Builds only when the binary is missing or its stamp (pinned version / source hash) changed. */
export async function buildOnce(options: { name: string; stamp: string; log: Log; what: string; args: string[]; cwd?: string }) {
  const binary = path.join(toolsBin, options.name);
  const stampFile = `${binary}.stamp`;
  if (existsSync(binary) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === options.stamp) return binary;
  if (!hasGo()) throw new Error(`Go is needed to build ${options.what}; install Go 1.22+ or see README.md`);

  mkdirSync(toolsBin, { recursive: true });
  options.log(`Building ${options.what} into .tools/bin (first run only; this can take a few minutes)...`);
  const started = Date.now();
  const ticker = setInterval(() => options.log(`  ...still building ${options.name} (${Math.round((Date.now() - started) / 1000)} s)`), 20_000);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn('go', options.args, {
        cwd: options.cwd,
        env: { ...process.env, GOBIN: toolsBin, GOFLAGS: '-mod=mod' },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`go ${options.args.join(' ')} exited with ${code}`))));
    });
  } finally {
    clearInterval(ticker);
  }
  writeFileSync(stampFile, options.stamp);
  options.log(`Built ${options.name} in ${Math.round((Date.now() - started) / 1000)} s.`);
  return binary;
}

export function buildTemporalCli(log: Log): Promise<string> {
  return buildOnce({
    name: 'temporal',
    stamp: TEMPORAL_CLI_VERSION,
    what: `the Temporal CLI ${TEMPORAL_CLI_VERSION} (dev server 1.29.1 + UI)`,
    args: ['install', `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`],
    log,
  });
}

function localServersHash(): string {
  const hash = createHash('sha256');
  const files = ['go.mod', 'go.sum', ...listGoFiles('cmd')];
  for (const file of files) hash.update(file).update(readFileSync(path.join(localServersSource, file)));
  return hash.digest('hex');
}

function listGoFiles(dir: string): string[] {
  return readdirSync(path.join(localServersSource, dir), { withFileTypes: true })
    .flatMap((entry) => {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) return listGoFiles(relative);
      return entry.name.endsWith('.go') ? [relative] : [];
    })
    .sort();
}

/** switchboard-db (embedded FerretDB) and switchboard-guard (no orphan child processes). */
export async function buildLocalServers(log: Log): Promise<{ db: string; guard: string }> {
  const stamp = localServersHash();
  const common = { stamp, log, args: ['install', './cmd/...'], cwd: localServersSource };
  const db = await buildOnce({ ...common, name: 'switchboard-db', what: 'the embedded database (FerretDB v1.24.2, SQLite)' });
  const guard = await buildOnce({ ...common, name: 'switchboard-guard', what: 'the process guard' });
  return { db, guard };
}
