import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { freePort, startLocalDatabase, startLocalTemporal } from '../../scripts/local-servers/index.js';

/** A server of this test file alone, to crash and bring back (the run's shared servers must never go down). */
export interface PrivateServer {
  port: number;
  /** SIGKILLs the server process (not its guard), as a crash would; resolves once its port refuses connections. */
  kill(): Promise<void>;
  /** Starts it again on the same port and files (stopping it cleanly first if it still runs); resolves once it answers. */
  restart(): Promise<void>;
  /** Stops it for good and deletes its files. */
  stop(): Promise<void>;
}

export interface PrivateTemporal extends PrivateServer {
  address: string;
  namespace: 'default';
}

export interface PrivateDatabase extends PrivateServer {
  uri: string;
}

/** A Temporal dev server (SQLite file, namespace `default`, the project's search attributes) on its own port. */
export async function startPrivateTemporal(): Promise<PrivateTemporal> {
  const server = await startPrivate('temporal', ({ port, dir }) =>
    startLocalTemporal({
      binaries: inject('binaries'),
      port,
      namespace: 'default',
      dbFile: path.join(dir, 'temporal.db'),
      logFile: path.join(dir, 'temporal.log'),
    }),
  );
  return { ...server.control, address: server.first.address, namespace: 'default' };
}

/** An embedded FerretDB (SQLite files) on its own port. */
export async function startPrivateDatabase(): Promise<PrivateDatabase> {
  const server = await startPrivate('ferretdb', ({ port, dir }) =>
    startLocalDatabase({ binaries: inject('binaries'), port, dataDir: path.join(dir, 'data'), logFile: path.join(dir, 'ferretdb.log') }),
  );
  return { ...server.control, uri: server.first.uri };
}

interface Running {
  stop(): Promise<void>;
  kill?(): Promise<void>;
}

async function startPrivate<T extends Running>(name: string, start: (where: { port: number; dir: string }) => Promise<T>) {
  const dir = await mkdtemp(path.join(tmpdir(), `switchboard-private-${name}-`));
  const port = await freePort();
  let running: T | undefined;
  try {
    running = await start({ port, dir });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const first = running;
  const control: PrivateServer = {
    port,
    async kill() {
      if (!running) throw new Error(`private ${name} is not running`);
      if (!running.kill) throw new Error(`private ${name} cannot be killed: it was not started from a built binary (is Go installed?)`);
      await running.kill();
      running = undefined;
      await waitUntilRefused(port);
    },
    async restart() {
      await running?.stop();
      running = undefined;
      running = await start({ port, dir });
    },
    async stop() {
      await running?.stop();
      running = undefined;
      await rm(dir, { recursive: true, force: true });
    },
  };
  return { first, control };
}

async function waitUntilRefused(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (await accepts(port)) {
    if (Date.now() > deadline) throw new Error(`port ${port} still accepts connections ${timeoutMs} ms after the kill`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
