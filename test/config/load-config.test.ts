import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import { problemsOf } from '../support/config-problems.js';

const key = () => randomBytes(32).toString('base64');

describe('configuration', () => {
  it('runs with no variables at all, on embedded defaults', () => {
    const config = loadConfig({});
    expect(config.http).toEqual({ host: '127.0.0.1', port: 3000, publicBaseUrl: 'http://127.0.0.1:3000', bodyLimitBytes: 1_048_576, trustProxy: false });
    expect(config.production).toBe(false);
    expect(config.temporal).toMatchObject({ address: undefined, namespace: 'default', taskQueue: 'switchboard', embeddedPort: 7233, uiPort: 8233 });
    expect(config.mongo).toEqual({ uri: undefined, dbName: 'switchboard', embeddedPort: 27017, vaultUri: undefined, vaultDbName: 'switchboard_vault' });
    expect(config.security.codecCorsOrigins).toEqual(['http://localhost:8233', 'http://127.0.0.1:8233']);
  });

  it('bounds the worker\'s workflow cache: 500 by default, WORKER_MAX_CACHED_WORKFLOWS otherwise', () => {
    expect(loadConfig({}).maxCachedWorkflows).toBe(500);
    expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '2000' }).maxCachedWorkflows).toBe(2000);
    expect(problemsOf({ WORKER_MAX_CACHED_WORKFLOWS: '-1' })).toEqual([expect.stringMatching(/^WORKER_MAX_CACHED_WORKFLOWS: /)]);
  });

  it('names the variable and the bad value when a setting is invalid', () => {
    expect(problemsOf({ PORT: 'eighty' })).toEqual([expect.stringMatching(/^PORT: .*\(got "eighty"\)$/)]);
  });

  it('reports every bad variable at once', () => {
    const problems = problemsOf({ PORT: '70000', LOG_LEVEL: 'loud', MONGODB_URI: 'postgres://x' });
    expect(problems.map((problem) => problem.split(':')[0])).toEqual(['PORT', 'LOG_LEVEL', 'MONGODB_URI']);
  });

  it('never echoes a secret value in its error message', () => {
    const secret = 'short-secret-value';
    const problems = problemsOf({ OPERATOR_TOKEN: secret, ENCRYPTION_KEYS: `k1:${secret}` });
    expect(problems.join('\n')).not.toContain(secret);
    expect(problems).toEqual([expect.stringMatching(/^ENCRYPTION_KEYS: key "k1" must be 32 bytes/), expect.stringMatching(/^OPERATOR_TOKEN: /)]);
  });

  it('parses a keyring of several keys with the first one active', () => {
    const config = loadConfig({ ENCRYPTION_KEYS: `2026-11:${key()}, 2026-05:${key()}` });
    expect(config.security.encryptionKeys?.map((entry) => entry.id)).toEqual(['2026-11', '2026-05']);
    expect(config.security.activeKeyId).toBe('2026-11');
  });

  it('lets ENCRYPTION_ACTIVE_KEY_ID pick the active key, and refuses an id not in the ring', () => {
    const keys = `old:${key()},new:${key()}`;
    expect(loadConfig({ ENCRYPTION_KEYS: keys, ENCRYPTION_ACTIVE_KEY_ID: 'new' }).security.activeKeyId).toBe('new');
    expect(problemsOf({ ENCRYPTION_KEYS: keys, ENCRYPTION_ACTIVE_KEY_ID: 'gone' })).toEqual([
      expect.stringMatching(/^ENCRYPTION_ACTIVE_KEY_ID: /),
    ]);
  });

  it('refuses duplicate key ids and malformed entries', () => {
    expect(problemsOf({ ENCRYPTION_KEYS: `a:${key()},a:${key()}` })[0]).toMatch(/appears twice/);
    expect(problemsOf({ ENCRYPTION_KEYS: key() })[0]).toMatch(/<key id>:<base64 key>/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ TEMPORAL_ADDRESS: '', MONGODB_URI: '  ' }).temporal.address).toBeUndefined();
  });

  it('derives the public URL from the bind address unless PUBLIC_BASE_URL is given', () => {
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '8080' }).http.publicBaseUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://sb.example.com/' }).http.publicBaseUrl).toBe('https://sb.example.com');
  });
});

describe('operator token', () => {
  it('must be URL-safe, since Temporal UI sends it in the codec URL path', () => {
    expect(problemsOf({ OPERATOR_TOKEN: 'abc/def+ghi=jkl-mno-pqr-stu' })).toEqual([expect.stringMatching(/^OPERATOR_TOKEN: must be URL-safe/)]);
    expect(loadConfig({ OPERATOR_TOKEN: 'a'.repeat(64) }).security.operatorToken).toBe('a'.repeat(64));
  });
});
