import { productionProblems } from './production-checks.js';
import { envSchema, secretVariables, type Env } from './schema.js';
import type { TrustProxy } from './trust-proxy.js';
import { loadServerTls, type ServerTls } from './tls.js';
import { loadTemporalTls, type TemporalTls } from './temporal-tls.js';

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export interface Config {
  /** NODE_ENV=production: insecure settings refuse to start (config/production-checks.ts). */
  production: boolean;
  /** `tls`: the API serves HTTPS itself (TLS_CERT_FILE, TLS_KEY_FILE). */
  http: { host: string; port: number; publicBaseUrl: string; bodyLimitBytes: number; trustProxy: TrustProxy; tls?: ServerTls };
  logLevel: Env['LOG_LEVEL'];
  dataDir: string;
  shutdownGraceMs: number;
  /** Workflow runs the worker keeps in memory between tasks (WORKER_MAX_CACHED_WORKFLOWS). */
  maxCachedWorkflows: number;
  temporal: {
    /** Unset: `npm start` runs the embedded dev server on `embeddedPort`. */
    address?: string;
    namespace: string;
    taskQueue: string;
    embeddedPort: number;
    uiPort: number;
    cliPath?: string;
    /** TLS (and mTLS) towards the frontend; unset: plaintext. */
    tls?: TemporalTls;
  };
  mongo: {
    /** Unset: `npm start` runs the embedded FerretDB on `embeddedPort`. */
    uri?: string;
    dbName: string;
    embeddedPort: number;
    /** The secure-form vault's own connection; unset: the main server, database `<dbName>_vault`. */
    vaultUri?: string;
    vaultDbName: string;
  };
  forms: { linkTtlMs: number; submitTtlMs: number; revealTtlMs: number; offRecordTtlMs: number };
  retention: { transcriptDays: number; vaultDays: number; eventsDays: number; scheduleCron: string };
  security: {
    /** Unset: `npm start` keeps a generated development keyring in DATA_DIR. */
    encryptionKeys?: EncryptionKey[];
    activeKeyId?: string;
    operatorToken?: string;
    adminToken?: string;
    pseudonymKey?: Buffer;
    codecCorsOrigins: string[];
  };
  providers: { twilioApiBaseUrl: string; facebookGraphBaseUrl: string; timeoutMs: number };
  conversations: { inactivityTimeoutMs: number; reopenWindowMs: number; delivery: { initialRetryMs: number; maxRetryMs: number; horizonMs: number } };
  /** Store-and-forward of webhook events (README, "Inbound journal"). */
  inboundJournal: { ackWaitMs: number; concurrency: number };
  /** Live events from other processes without change streams: the tail's period (README, "Live events"). */
  liveEvents: { tailMs: number };
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(options: { problems: string[] }) {
    super(`Invalid configuration:\n${options.problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = options.problems;
  }
}

/** Parses and validates the environment once; throws ConfigError naming every bad variable. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(environment);
  if (!parsed.success) {
    throw new ConfigError({
      problems: parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        const raw = environment[name];
        const shown = raw === undefined || secretVariables.has(name) ? '' : ` (got ${JSON.stringify(raw)})`;
        return `${name}: ${issue.message}${shown}`;
      }),
    });
  }
  const env = parsed.data;

  const activeKeyId = env.ENCRYPTION_ACTIVE_KEY_ID ?? env.ENCRYPTION_KEYS?.[0]?.id;
  if (env.ENCRYPTION_ACTIVE_KEY_ID && !env.ENCRYPTION_KEYS?.some((key) => key.id === env.ENCRYPTION_ACTIVE_KEY_ID)) {
    throw new ConfigError({ problems: ['ENCRYPTION_ACTIVE_KEY_ID: must name one of the key ids in ENCRYPTION_KEYS'] });
  }

  const { tls, problems: tlsProblems } = loadServerTls(env.TLS_CERT_FILE, env.TLS_KEY_FILE);
  const { tls: temporalTls, problems: temporalTlsProblems } = loadTemporalTls(env);
  if (tlsProblems.length + temporalTlsProblems.length > 0) throw new ConfigError({ problems: [...tlsProblems, ...temporalTlsProblems] });
  const publicHost = env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST;
  const publicBaseUrl = (env.PUBLIC_BASE_URL ?? `${tls ? 'https' : 'http'}://${publicHost}:${env.PORT}`).replace(/\/+$/, '');
  const production = env.NODE_ENV === 'production';
  if (production) {
    const problems = productionProblems({ publicBaseUrl, mongoUris: { MONGODB_URI: env.MONGODB_URI, VAULT_MONGODB_URI: env.VAULT_MONGODB_URI } });
    if (problems.length > 0) throw new ConfigError({ problems });
  }
  return {
    production,
    http: {
      host: env.HOST,
      port: env.PORT,
      publicBaseUrl,
      bodyLimitBytes: env.REQUEST_BODY_LIMIT_BYTES,
      trustProxy: env.TRUST_PROXY,
      ...(tls ? { tls } : {}),
    },
    logLevel: env.LOG_LEVEL,
    dataDir: env.DATA_DIR,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS,
    temporal: {
      address: env.TEMPORAL_ADDRESS,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      embeddedPort: env.TEMPORAL_PORT,
      uiPort: env.TEMPORAL_UI_PORT,
      cliPath: env.TEMPORAL_CLI_PATH,
      ...(temporalTls ? { tls: temporalTls } : {}),
    },
    mongo: {
      uri: env.MONGODB_URI,
      dbName: env.MONGODB_DB,
      embeddedPort: env.MONGODB_PORT,
      vaultUri: env.VAULT_MONGODB_URI,
      vaultDbName: env.VAULT_MONGODB_DB ?? `${env.MONGODB_DB}_vault`,
    },
    retention: { transcriptDays: env.TRANSCRIPT_RETENTION_DAYS, vaultDays: env.VAULT_RETENTION_DAYS, eventsDays: env.EVENTS_RETENTION_DAYS, scheduleCron: env.RETENTION_SCHEDULE_CRON },
    forms: {
      linkTtlMs: env.FORM_LINK_TTL_SECONDS * 1000,
      submitTtlMs: env.FORM_SUBMIT_TTL_SECONDS * 1000,
      revealTtlMs: env.FORM_REVEAL_TTL_SECONDS * 1000,
      offRecordTtlMs: env.OFF_RECORD_TTL_SECONDS * 1000,
    },
    security: {
      encryptionKeys: env.ENCRYPTION_KEYS,
      activeKeyId,
      operatorToken: env.OPERATOR_TOKEN,
      adminToken: env.ADMIN_TOKEN,
      pseudonymKey: env.PSEUDONYM_KEY,
      codecCorsOrigins: env.CODEC_CORS_ORIGINS ?? [
        `http://localhost:${env.TEMPORAL_UI_PORT}`,
        `http://127.0.0.1:${env.TEMPORAL_UI_PORT}`,
      ],
    },
    providers: {
      twilioApiBaseUrl: env.TWILIO_API_BASE_URL.replace(/\/+$/, ''),
      facebookGraphBaseUrl: env.FACEBOOK_GRAPH_BASE_URL.replace(/\/+$/, ''),
      timeoutMs: env.PROVIDER_TIMEOUT_MS,
    },
    conversations: {
      inactivityTimeoutMs: env.CONVERSATION_INACTIVITY_MINUTES * 60_000,
      reopenWindowMs: env.CONVERSATION_REOPEN_WINDOW_SECONDS * 1000,
      delivery: {
        initialRetryMs: env.DELIVERY_RETRY_INITIAL_MS,
        maxRetryMs: Math.max(env.DELIVERY_RETRY_MAX_MS, env.DELIVERY_RETRY_INITIAL_MS),
        horizonMs: Math.round(env.DELIVERY_RETRY_HORIZON_MINUTES * 60_000),
      },
    },
    inboundJournal: { ackWaitMs: env.INBOUND_JOURNAL_ACK_WAIT_MS, concurrency: env.INBOUND_JOURNAL_CONCURRENCY },
    liveEvents: { tailMs: env.LIVE_EVENTS_TAIL_MS },
  };
}
