import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { envSchema } from '../config/schema.js';
import { logLineKind } from './log-summary.js';
import type { DbProfile } from './db-profile.js';
import type { SutReply, SutRequest, SutSample } from './sut-protocol.js';

const projectRoot = fileURLToPath(new URL('../', import.meta.url));

export interface SystemUnderTest {
  apiUrl: string;
  pid: number;
  sample(): Promise<SutSample>;
  /** Two full collections of the main isolate (the child runs with --expose-gc), then a sample. */
  collectGarbage(): Promise<SutSample>;
  /** One systemCheckWorkflow round trip (client → worker → activity → database → result). */
  systemCheck(): Promise<void>;
  /** Database commands by shape since the previous call (the first call starts counting afresh). */
  dbProfile(): Promise<DbProfile>;
  /** Warnings and errors it logged, counted by message (e.g. "Activity not found on completion"). */
  warnings(): Record<string, number>;
  stop(): Promise<void>;
}

/**
 * Starts bench/system-under-test.ts (API + worker, like `npm start`) as a child process configured
 * by `env` alone, logging to `logFile`. Dies with us: it exits when the IPC channel closes.
 */
export async function startSystemUnderTest(options: { env: Record<string, string>; logFile: string; readyTimeoutMs?: number }): Promise<SystemUnderTest> {
  // Only what we pass may configure it: drop Switchboard variables of our own environment.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !(name in envSchema.shape)));
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/system-under-test.ts'], {
    cwd: projectRoot,
    env: { ...inherited, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const warnings: Record<string, number> = {};
  let pending = '';
  const onOutput = (chunk: Buffer) => {
    log.write(chunk);
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const kind = logLineKind(line);
      if (kind) warnings[kind] = (warnings[kind] ?? 0) + 1;
    }
  };
  child.stdout!.on('data', onOutput);
  child.stderr!.on('data', onOutput);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const waiting = new Map<number, { resolve: (reply: SutReply) => void; reject: (error: Error) => void }>();
  let ready: (reply: SutReply & { kind: 'ready' }) => void;
  const readyReply = new Promise<SutReply & { kind: 'ready' }>((resolve) => (ready = resolve));
  child.on('message', (reply: SutReply) => {
    if (reply.kind === 'ready') return ready(reply);
    const waiter = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.kind === 'failed') waiter?.reject(new Error(`system under test: ${reply.message}`));
    else waiter?.resolve(reply);
  });
  void exited.then((code) => {
    for (const waiter of waiting.values()) waiter.reject(new Error(`system under test exited (${code})`));
    waiting.clear();
  });

  const timeoutMs = options.readyTimeoutMs ?? 180_000;
  let timer: NodeJS.Timeout | undefined;
  const started = await Promise.race([
    readyReply,
    exited.then((code) => Promise.reject(new Error(`system under test exited (${code}) before it was ready; see ${options.logFile}`))),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`system under test not ready after ${timeoutMs} ms`)), timeoutMs))),
  ]).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  }).finally(() => clearTimeout(timer));

  let nextId = 1;
  const ask = (kind: SutRequest['kind']) =>
    new Promise<SutReply>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      child.send({ id, kind } satisfies SutRequest);
    });
  const sampleOf = async (kind: 'sample' | 'collectGarbage') => {
    const reply = await ask(kind);
    if (reply.kind !== 'sample') throw new Error(`unexpected reply ${reply.kind}`);
    return reply.sample;
  };

  return {
    apiUrl: started.apiUrl,
    pid: started.pid,
    sample: () => sampleOf('sample'),
    collectGarbage: () => sampleOf('collectGarbage'),
    systemCheck: async () => void (await ask('systemCheck')),
    async dbProfile() {
      const reply = await ask('dbProfile');
      if (reply.kind !== 'dbProfile') throw new Error(`unexpected reply ${reply.kind}`);
      return reply.profile;
    },
    warnings: () => ({ ...warnings }),
    async stop() {
      if (child.exitCode === null && child.connected) {
        await ask('stop').catch(() => {});
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(timer);
      }
      await new Promise<void>((resolve) => log.end(() => resolve()));
    },
  };
}
