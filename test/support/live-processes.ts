import { devNull } from 'node:os';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { envSchema } from '../../config/schema.js';
import { freePort } from '../../scripts/local-servers/index.js';
import { startGuarded } from '../../scripts/local-servers/guarded-process.js';
import type { Settings } from '../../runtime/settings.js';
import { settingsToEnv } from './worker-process.js';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
/** Only what we pass may configure a child: drop any Switchboard variable of our own environment. */
const inherited = () => Object.fromEntries(Object.entries(process.env).filter(([name]) => !(name in envSchema.shape)));

function startChild(script: string, env: Record<string, string>) {
  return startGuarded({
    guardBinary: inject('binaries').guard,
    command: process.execPath,
    args: ['--import', 'tsx', script],
    cwd: projectRoot,
    env: { ...inherited(), ...env },
    logFile: devNull,
  });
}

export interface ApiProcess {
  url: string;
  stop(): Promise<void>;
}

/** A second API replica (`node --import tsx api/main.ts`) configured like `settings`, on its own port. */
export async function spawnApiProcess(settings: Settings, timeoutMs = 60_000): Promise<ApiProcess> {
  const port = await freePort();
  const child = startChild('api/main.ts', { ...settingsToEnv(settings), PORT: String(port), LOG_LEVEL: 'info' });
  const lines: string[] = [];
  child.onLine((line) => lines.push(line));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`API process not started within ${timeoutMs} ms:\n${lines.join('\n')}`)), timeoutMs);
    child.onLine((line) => {
      if (line.includes('"msg":"started"')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void child.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`API process exited with code ${code}:\n${lines.join('\n')}`));
    });
  }).catch(async (error: unknown) => {
    await child.stop();
    throw error;
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.stop() };
}

/**
 * Another process appends one live event per key, in order (test/support/append-events-child.ts);
 * `started` resolves at its first append, `done` once all are stored.
 */
export function appendFromAnotherProcess(settings: Settings, brandId: string, keys: string[], options: { pauseMs?: number } = {}) {
  const child = startChild('test/support/append-events-child.ts', {
    MONGODB_URI: settings.mongo.uri!, MONGODB_DB: settings.mongo.dbName, BRAND_ID: brandId, KEYS: keys.join(','), PAUSE_MS: String(options.pauseMs ?? 0),
  });
  const started = new Promise<void>((resolve) => child.onLine((line) => line.startsWith('appended ') && resolve()));
  const done = child.exited.then((code) => {
    if (code !== 0) throw new Error(`appending process exited with ${code}:\n${child.recentOutput()}`);
  });
  return { started: Promise.race([started, done]), done };
}
