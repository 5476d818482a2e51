import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startGuarded } from '../local-servers/guarded-process.js';

/** Temporal's database role (the cluster's superuser: the SQL tool creates databases with it). */
export const POSTGRES_USER = 'temporal';

export interface RunningPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  stop(): Promise<void>;
}

/** Debian's packages (`postgresql-15`): the newest /usr/lib/postgresql/<n>/bin holding a server. */
export function findPostgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((version) => path.join(root, version, 'bin')).find((bin) => existsSync(path.join(bin, 'postgres')) && existsSync(path.join(bin, 'initdb')));
  if (!found) throw new Error('PostgreSQL server not found under /usr/lib/postgresql: install it (Debian/Ubuntu: apt-get install postgresql-15)');
  return found;
}

/**
 * PostgreSQL refuses to run as root: then initdb and the server run as the `postgres` user that
 * Debian's package creates (setpriv execs, so the guard's signals reach the server itself).
 */
function asDatabaseUser(command: string, args: string[]): { command: string; args: string[] } {
  if (process.getuid?.() !== 0) return { command, args };
  return { command: 'setpriv', args: ['--reuid=postgres', '--regid=postgres', '--init-groups', '--pdeathsig=keep', '--', command, ...args] };
}

function handToDatabaseUser(dir: string) {
  if (process.getuid?.() !== 0) return;
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const [uid, gid] = [id('-u'), id('-g')];
  if (!Number.isInteger(uid) || uid <= 0) throw new Error('Running as root, PostgreSQL needs the `postgres` user (Debian\'s postgresql package creates it)');
  chownSync(dir, uid, gid);
  const probe = asDatabaseUser('test', ['-w', dir]);
  if (spawnSync(probe.command, probe.args).status !== 0) {
    throw new Error(`The postgres user cannot reach ${dir}: use a DATA_DIR whose parent directories others may enter (e.g. under /tmp or /var/lib)`);
  }
}

/** Creates the cluster (once; the role's password is kept beside it, mode 0600) and answers its password. */
function initialise(options: { bin: string; dir: string }): string {
  const dataDir = path.join(options.dir, 'data');
  const passwordFile = path.join(path.dirname(options.dir), 'postgres-password');
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return readFileSync(passwordFile, 'utf8').trim();

  mkdirSync(options.dir, { recursive: true });
  handToDatabaseUser(options.dir);
  const password = randomBytes(18).toString('hex');
  writeFileSync(passwordFile, password, { mode: 0o600 });
  const pwfile = path.join(options.dir, '.initdb-password');
  writeFileSync(pwfile, password, { mode: 0o600 });
  handToDatabaseUser(pwfile);
  try {
    const initdb = asDatabaseUser(path.join(options.bin, 'initdb'), [
      '-D', dataDir, '-U', POSTGRES_USER, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--no-locale',
    ]);
    const result = spawnSync(initdb.command, initdb.args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`initdb failed:\n${result.stdout}${result.stderr}`);
  } finally {
    rmSync(pwfile, { force: true });
  }
  return password;
}

/** Initialises (first run) and starts a private PostgreSQL on 127.0.0.1:`port`, its files under `dir`. */
export async function startPostgres(options: { bin: string; dir: string; port: number; guardBinary: string; logFile: string }): Promise<RunningPostgres> {
  const password = initialise(options);
  const socketDir = path.join(options.dir, 'run');
  mkdirSync(socketDir, { recursive: true });
  handToDatabaseUser(socketDir);
  const { command, args } = asDatabaseUser(path.join(options.bin, 'postgres'), [
    '-D', path.join(options.dir, 'data'),
    '-p', String(options.port),
    '-c', 'listen_addresses=127.0.0.1',
    '-c', `unix_socket_directories=${socketDir}`,
  ]);
  const server = startGuarded({ guardBinary: options.guardBinary, command, args, logFile: options.logFile });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`PostgreSQL did not start within 60 s:\n${server.recentOutput()}`)), 60_000);
    server.onLine((line) => {
      if (!line.includes('database system is ready to accept connections')) return;
      clearTimeout(timer);
      resolve();
    });
    void server.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL exited with code ${code} before it was ready:\n${server.recentOutput()}`));
    });
  }).catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  return { host: '127.0.0.1', port: options.port, user: POSTGRES_USER, password, stop: () => server.stop() };
}
