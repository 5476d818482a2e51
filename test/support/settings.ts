import { randomBytes, randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { loadConfig } from '../../config/index.js';
import { requireSettings, type Settings } from '../../runtime/settings.js';

export const testOperatorToken = `operator-${randomBytes(16).toString('hex')}`;
export const testAdminToken = `admin-${randomBytes(16).toString('hex')}`;
export const testEncryptionKeys = `test-1:${randomBytes(32).toString('base64')}`;

/**
 * Settings for a system under test on the run's shared servers, with its own
 * database and task queue so test files never see each other's data.
 */
export function testSettings(env: Record<string, string> = {}): Settings {
  const unique = randomUUID().slice(0, 8);
  return requireSettings(
    loadConfig({
      HOST: '127.0.0.1',
      PORT: '1',
      LOG_LEVEL: 'silent',
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: `test-${unique}`,
      MONGODB_URI: inject('mongoUri'),
      MONGODB_DB: `test_${unique}`,
      ENCRYPTION_KEYS: testEncryptionKeys,
      OPERATOR_TOKEN: testOperatorToken,
      ADMIN_TOKEN: testAdminToken,
      PSEUDONYM_KEY: randomBytes(32).toString('base64'),
      SHUTDOWN_GRACE_MS: '2000',
      ...env,
    }),
  );
}
