import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config, type EncryptionKey } from '../config/index.js';

/** Configuration with every connection and secret resolved: what the processes run on. */
export interface Settings extends Config {
  temporal: Config['temporal'] & { address: string };
  mongo: Config['mongo'] & { uri: string };
  security: Config['security'] & {
    encryptionKeys: EncryptionKey[];
    activeKeyId: string;
    operatorToken: string;
    adminToken: string;
    pseudonymKey: Buffer;
  };
}

interface DevSecretsFile {
  encryptionKeys: { id: string; key: string }[];
  operatorToken: string;
  adminToken?: string;
  pseudonymKey?: string;
}

/**
 * `npm start` on a laptop needs no secrets: a keyring and operator token are
 * generated once into DATA_DIR/dev-secrets.json (mode 0600) and reused, so data
 * encrypted yesterday still opens today. Production sets ENCRYPTION_KEYS and
 * OPERATOR_TOKEN (see requireSecrets).
 */
export function withDevSecrets(config: Config): Config {
  const { security } = config;
  if (security.encryptionKeys && security.operatorToken && security.adminToken && security.pseudonymKey) return config;
  const file = path.join(config.dataDir, 'dev-secrets.json');
  const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DevSecretsFile) : undefined;
  const secrets: DevSecretsFile = {
    encryptionKeys: existing?.encryptionKeys ?? [{ id: 'dev-1', key: randomBytes(32).toString('base64') }],
    operatorToken: existing?.operatorToken ?? randomBytes(24).toString('hex'),
    adminToken: existing?.adminToken ?? randomBytes(24).toString('hex'),
    pseudonymKey: existing?.pseudonymKey ?? randomBytes(32).toString('base64'),
  };
  if (JSON.stringify(existing) !== JSON.stringify(secrets)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  const encryptionKeys =
    config.security.encryptionKeys ?? secrets.encryptionKeys.map(({ id, key }) => ({ id, key: Buffer.from(key, 'base64') }));
  return {
    ...config,
    security: {
      ...config.security,
      encryptionKeys,
      activeKeyId: config.security.activeKeyId ?? encryptionKeys[0]!.id,
      operatorToken: config.security.operatorToken ?? secrets.operatorToken,
      adminToken: config.security.adminToken ?? secrets.adminToken,
      pseudonymKey: config.security.pseudonymKey ?? Buffer.from(secrets.pseudonymKey!, 'base64'),
    },
  };
}

/** For the stand-alone API and worker processes: every connection and secret must be configured. */
export function requireSettings(config: Config): Settings {
  const problems: string[] = [];
  if (!config.temporal.address) problems.push('TEMPORAL_ADDRESS: required (host:port of the Temporal frontend)');
  if (!config.mongo.uri) problems.push('MONGODB_URI: required (mongodb://...)');
  if (!config.security.encryptionKeys) problems.push('ENCRYPTION_KEYS: required ("<id>:<base64 32-byte key>", comma-separated)');
  if (!config.security.operatorToken) problems.push('OPERATOR_TOKEN: required (at least 24 characters)');
  if (!config.security.adminToken) problems.push('ADMIN_TOKEN: required (at least 24 URL-safe characters)');
  if (!config.security.pseudonymKey) problems.push('PSEUDONYM_KEY: required (32 bytes of base64; never rotate)');
  if (problems.length > 0) throw new ConfigError({ problems });
  return config as Settings;
}
