import { z } from 'zod';
import { trustProxySchema } from './trust-proxy.js';

/** Every setting Switchboard reads, by environment variable name. Documented in README.md. */
const port = z.coerce.number().int().min(1).max(65_535);
const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const keyId = /^[A-Za-z0-9_-]{1,32}$/;

/** `id:base64key,id2:base64key` — every key 32 bytes (AES-256); the first is active unless told. */
export const encryptionKeysSchema = z
  .string()
  .trim()
  .transform((raw, ctx) => {
    const keys: { id: string; key: Buffer }[] = [];
    for (const entry of raw.split(',').map((part) => part.trim()).filter(Boolean)) {
      const separator = entry.indexOf(':');
      const id = entry.slice(0, separator);
      const key = Buffer.from(entry.slice(separator + 1), 'base64');
      if (separator < 1 || !keyId.test(id)) {
        ctx.addIssue({ code: 'custom', message: 'each entry must be "<key id>:<base64 key>" with an id of letters, digits, - or _' });
        return z.NEVER;
      }
      if (key.length !== 32) {
        ctx.addIssue({ code: 'custom', message: `key "${id}" must be 32 bytes of base64 (openssl rand -base64 32)` });
        return z.NEVER;
      }
      if (keys.some((existing) => existing.id === id)) {
        ctx.addIssue({ code: 'custom', message: `key id "${id}" appears twice` });
        return z.NEVER;
      }
      keys.push({ id, key });
    }
    if (keys.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'must hold at least one key' });
      return z.NEVER;
    }
    return keys;
  });

const commaList = z
  .string()
  .transform((raw) => raw.split(',').map((item) => item.trim()).filter(Boolean));

export const envSchema = z.object({
  // "production" turns on the start-up refusals of config/production-checks.ts (the Docker image sets it).
  NODE_ENV: optionalString,
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  PUBLIC_BASE_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  // The API serves HTTPS itself (TLS 1.2 or later) with this certificate chain and key (PEM files); unset: plain HTTP.
  TLS_CERT_FILE: optionalString,
  TLS_KEY_FILE: optionalString,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().trim().min(1).default('data'),
  // Which proxies may set the client address through X-Forwarded-For (config/trust-proxy.ts); none by default.
  TRUST_PROXY: trustProxySchema.default(false),
  REQUEST_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(300_000).default(10_000),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(500),

  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().trim().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().trim().min(1).default('switchboard'),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_CLI_PATH: optionalString,
  // TLS towards Temporal (config/temporal-tls.ts): on with TEMPORAL_TLS=true or any file/name below.
  TEMPORAL_TLS: z.enum(['true', 'false']).optional().transform((value) => value === 'true'),
  TEMPORAL_TLS_CA_FILE: optionalString,
  TEMPORAL_TLS_CERT_FILE: optionalString,
  TEMPORAL_TLS_KEY_FILE: optionalString,
  TEMPORAL_TLS_SERVER_NAME: optionalString,

  MONGODB_URI: optionalString.pipe(
    z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').optional(),
  ),
  MONGODB_DB: z.string().trim().regex(/^[A-Za-z0-9_-]{1,63}$/, 'letters, digits, - and _ only').default('switchboard'),
  MONGODB_PORT: port.default(27017),
  VAULT_MONGODB_URI: optionalString.pipe(
    z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').optional(),
  ),
  VAULT_MONGODB_DB: z.string().trim().regex(/^[A-Za-z0-9_-]{1,63}$/, 'letters, digits, - and _ only').optional(),
  FORM_LINK_TTL_SECONDS: z.coerce.number().int().min(60).max(24 * 3600).default(900),
  FORM_SUBMIT_TTL_SECONDS: z.coerce.number().int().min(60).max(24 * 3600).default(900),
  FORM_REVEAL_TTL_SECONDS: z.coerce.number().int().min(5).max(300).default(30),
  OFF_RECORD_TTL_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),

  ENCRYPTION_KEYS: optionalString.pipe(encryptionKeysSchema.optional()),
  ENCRYPTION_ACTIVE_KEY_ID: optionalString,
  // URL-safe: Temporal UI sends it as a path segment of the codec endpoint (`openssl rand -hex 32`).
  OPERATOR_TOKEN: optionalString.pipe(
    z
      .string()
      .min(24, 'must be at least 24 characters')
      .regex(/^[A-Za-z0-9._~-]+$/, 'must be URL-safe: letters, digits, . _ ~ - (openssl rand -hex 32)')
      .optional(),
  ),
  CODEC_CORS_ORIGINS: commaList.pipe(z.array(z.url())).optional(),
  ADMIN_TOKEN: optionalString.pipe(
    z
      .string()
      .min(24, 'must be at least 24 characters')
      .regex(/^[A-Za-z0-9._~-]+$/, 'must be URL-safe: letters, digits, . _ ~ - (openssl rand -hex 32)')
      .optional(),
  ),
  // Keyed hash that turns consumer addresses into stable pseudonyms (ids, workflow ids). Never rotate it:
  // a new key splits every consumer's history from the old.
  PSEUDONYM_KEY: optionalString.pipe(
    z
      .string()
      .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes of base64 (openssl rand -base64 32)')
      .transform((value) => Buffer.from(value, 'base64'))
      .optional(),
  ),

  TWILIO_API_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://api.twilio.com'),
  FACEBOOK_GRAPH_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://graph.facebook.com/v21.0'),
  PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(10_000),
  CONVERSATION_REOPEN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(30 * 24 * 3600).default(3600),
  TRANSCRIPT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(396),
  VAULT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(396),
  // Live events (SSE) are kept this long: a stream resuming from an older Last-Event-ID gets what remains.
  EVENTS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  RETENTION_SCHEDULE_CRON: z.string().trim().regex(/^(\S+\s+){4}\S+$/, 'five cron fields, e.g. "0 3 * * *"').default('0 3 * * *'),
  CONVERSATION_INACTIVITY_MINUTES: z.coerce.number().int().min(1).max(60 * 24 * 30).default(24 * 60),
  // Replies wait out provider outages: first retry after DELIVERY_RETRY_INITIAL_MS, doubling up to
  // DELIVERY_RETRY_MAX_MS between attempts, failing for good DELIVERY_RETRY_HORIZON_MINUTES after the first.
  DELIVERY_RETRY_INITIAL_MS: z.coerce.number().int().min(100).max(10 * 60_000).default(2_000),
  DELIVERY_RETRY_MAX_MS: z.coerce.number().int().min(100).max(60 * 60_000).default(5 * 60_000),
  DELIVERY_RETRY_HORIZON_MINUTES: z.coerce.number().min(0.05).max(7 * 24 * 60).default(24 * 60),
  // Webhooks journal each event, then wait this long for it to reach Temporal before answering 200 anyway.
  INBOUND_JOURNAL_ACK_WAIT_MS: z.coerce.number().int().min(0).max(10_000).default(2_000),
  // How many conversations the journal forwarder hands to Temporal at once.
  INBOUND_JOURNAL_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  // Where the database has no change streams (FerretDB, a stand-alone mongod): how often each API process reads new live events.
  LIVE_EVENTS_TAIL_MS: z.coerce.number().int().min(20).max(60_000).default(150),
});

/** Variables whose values must never be echoed back in an error message. */
export const secretVariables = new Set(['ENCRYPTION_KEYS', 'OPERATOR_TOKEN', 'MONGODB_URI', 'VAULT_MONGODB_URI', 'ADMIN_TOKEN', 'PSEUDONYM_KEY']);

export type Env = z.infer<typeof envSchema>;
