import { devNull } from 'node:os';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import type { z } from 'zod';
import { envSchema } from '../../config/schema.js';
import { trustProxyToEnv } from '../../config/trust-proxy.js';
import { startGuarded } from '../../scripts/local-servers/guarded-process.js';
import type { Settings } from '../../runtime/settings.js';
import { testSettings } from './settings.js';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface WorkerProcess {
  /** Of the Node process running the worker (not of its guard). */
  pid: number;
  /** Settles with the exit code once the process ended, however it ended. */
  exited: Promise<number | null>;
  /** Signals the worker itself (default SIGKILL: a crash); resolves once it exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM (a clean shutdown, as an orchestrator does); resolves once it exited. */
  stop(): Promise<void>;
  /** Everything it printed so far: pino JSON lines. */
  logs(): string;
}

/**
 * Switchboard's stand-alone worker (`node --import tsx workers/main.ts`) as a
 * child process, configured like the test system whose `settings` it gets (same
 * servers, database, task queue, keys) plus `env`. It runs under
 * switchboard-guard, so it never outlives the test process. The process
 * bundles the workflows itself from the same sources (startup takes seconds).
 */
export async function spawnWorkerProcess(
  options: { settings?: Settings; env?: Record<string, string>; readyTimeoutMs?: number } = {},
): Promise<WorkerProcess> {
  const settings = options.settings ?? testSettings();
  const readyTimeoutMs = options.readyTimeoutMs ?? 120_000;
  // Only what we pass may configure it: drop any Switchboard variable of our own environment.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !(name in envSchema.shape)));
  const lines: string[] = [];
  const child = startGuarded({
    guardBinary: inject('binaries').guard,
    command: process.execPath,
    args: ['--import', 'tsx', 'workers/main.ts'],
    cwd: projectRoot,
    // The readiness line is logged at info.
    env: { ...inherited, ...settingsToEnv(settings), LOG_LEVEL: 'info', ...options.env },
    logFile: devNull, // kept in memory: logs()
  });
  child.onLine((line) => lines.push(line));
  const logs = () => lines.join('\n');

  let pid: number;
  try {
    pid = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker process not polling within ${readyTimeoutMs} ms`)), readyTimeoutMs);
      child.onLine((line) => {
        const entry = parseJson(line);
        if (entry?.msg === 'worker polling' && typeof entry.pid === 'number') {
          clearTimeout(timer);
          resolve(entry.pid);
        }
      });
      void child.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`worker process exited with code ${code} before polling`));
      });
    });
  } catch (error) {
    await child.stop();
    throw new Error(`${(error as Error).message}:\n${logs()}`);
  }

  return {
    pid,
    exited: child.exited,
    async kill(signal = 'SIGKILL') {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
      await child.exited;
      await child.stop();
    },
    stop: () => child.stop(),
    logs,
  };
}

/** The environment variables that configure a process exactly as `settings` (loadConfig's inverse). */
export function settingsToEnv(settings: Settings): Record<string, string> {
  const seconds = (ms: number) => String(ms / 1000);
  const env: Record<keyof z.input<typeof envSchema>, string | undefined> = {
    NODE_ENV: settings.production ? 'production' : undefined,
    HOST: settings.http.host,
    TRUST_PROXY: trustProxyToEnv(settings.http.trustProxy),
    PORT: String(settings.http.port),
    PUBLIC_BASE_URL: settings.http.publicBaseUrl,
    // Settings hold certificates, not their files: the tests' child processes use plain HTTP and plaintext Temporal.
    TLS_CERT_FILE: undefined,
    TLS_KEY_FILE: undefined,
    TEMPORAL_TLS: undefined,
    TEMPORAL_TLS_CA_FILE: undefined,
    TEMPORAL_TLS_CERT_FILE: undefined,
    TEMPORAL_TLS_KEY_FILE: undefined,
    TEMPORAL_TLS_SERVER_NAME: undefined,
    LOG_LEVEL: settings.logLevel,
    DATA_DIR: settings.dataDir,
    REQUEST_BODY_LIMIT_BYTES: String(settings.http.bodyLimitBytes),
    SHUTDOWN_GRACE_MS: String(settings.shutdownGraceMs),
    WORKER_MAX_CACHED_WORKFLOWS: String(settings.maxCachedWorkflows),
    TEMPORAL_ADDRESS: settings.temporal.address,
    TEMPORAL_NAMESPACE: settings.temporal.namespace,
    TEMPORAL_TASK_QUEUE: settings.temporal.taskQueue,
    TEMPORAL_PORT: String(settings.temporal.embeddedPort),
    TEMPORAL_UI_PORT: String(settings.temporal.uiPort),
    TEMPORAL_CLI_PATH: settings.temporal.cliPath,
    MONGODB_URI: settings.mongo.uri,
    MONGODB_DB: settings.mongo.dbName,
    MONGODB_PORT: String(settings.mongo.embeddedPort),
    VAULT_MONGODB_URI: settings.mongo.vaultUri,
    VAULT_MONGODB_DB: settings.mongo.vaultDbName,
    FORM_LINK_TTL_SECONDS: seconds(settings.forms.linkTtlMs),
    FORM_SUBMIT_TTL_SECONDS: seconds(settings.forms.submitTtlMs),
    FORM_REVEAL_TTL_SECONDS: seconds(settings.forms.revealTtlMs),
    OFF_RECORD_TTL_SECONDS: seconds(settings.forms.offRecordTtlMs),
    ENCRYPTION_KEYS: settings.security.encryptionKeys.map(({ id, key }) => `${id}:${key.toString('base64')}`).join(','),
    ENCRYPTION_ACTIVE_KEY_ID: settings.security.activeKeyId,
    OPERATOR_TOKEN: settings.security.operatorToken,
    CODEC_CORS_ORIGINS: settings.security.codecCorsOrigins.join(','),
    ADMIN_TOKEN: settings.security.adminToken,
    PSEUDONYM_KEY: settings.security.pseudonymKey.toString('base64'),
    TWILIO_API_BASE_URL: settings.providers.twilioApiBaseUrl,
    FACEBOOK_GRAPH_BASE_URL: settings.providers.facebookGraphBaseUrl,
    PROVIDER_TIMEOUT_MS: String(settings.providers.timeoutMs),
    CONVERSATION_REOPEN_WINDOW_SECONDS: seconds(settings.conversations.reopenWindowMs),
    TRANSCRIPT_RETENTION_DAYS: String(settings.retention.transcriptDays),
    VAULT_RETENTION_DAYS: String(settings.retention.vaultDays),
    EVENTS_RETENTION_DAYS: String(settings.retention.eventsDays),
    RETENTION_SCHEDULE_CRON: settings.retention.scheduleCron,
    CONVERSATION_INACTIVITY_MINUTES: String(settings.conversations.inactivityTimeoutMs / 60_000),
    DELIVERY_RETRY_INITIAL_MS: String(settings.conversations.delivery.initialRetryMs),
    DELIVERY_RETRY_MAX_MS: String(settings.conversations.delivery.maxRetryMs),
    DELIVERY_RETRY_HORIZON_MINUTES: String(settings.conversations.delivery.horizonMs / 60_000),
    INBOUND_JOURNAL_ACK_WAIT_MS: String(settings.inboundJournal.ackWaitMs),
    INBOUND_JOURNAL_CONCURRENCY: String(settings.inboundJournal.concurrency),
    LIVE_EVENTS_TAIL_MS: String(settings.liveEvents.tailMs),
  };
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
