import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import { problemsOf } from '../support/config-problems.js';

const production = { NODE_ENV: 'production' };

describe('production mode (NODE_ENV=production)', () => {
  it('is off unless NODE_ENV is "production"', () => {
    expect(loadConfig({}).production).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development' }).production).toBe(false);
    expect(loadConfig(production).production).toBe(true);
  });

  it('refuses to start with a plain-http PUBLIC_BASE_URL outside loopback', () => {
    expect(problemsOf({ ...production, PUBLIC_BASE_URL: 'http://sb.example.com' })).toEqual([expect.stringMatching(/^PUBLIC_BASE_URL: must be https:\/\//)]);
    expect(problemsOf({ ...production, HOST: '10.1.2.3' })).toEqual([expect.stringMatching(/^PUBLIC_BASE_URL: /)]);
  });

  it('accepts https anywhere and plain http on loopback', () => {
    for (const url of ['https://sb.example.com', 'http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000']) {
      expect(loadConfig({ ...production, PUBLIC_BASE_URL: url }).http.publicBaseUrl, url).toBe(url);
    }
  });

  it('refuses a MONGODB_URI or VAULT_MONGODB_URI without credentials on another host, without echoing it', () => {
    const problems = problemsOf({ ...production, MONGODB_URI: 'mongodb://db.internal:27017', VAULT_MONGODB_URI: 'mongodb+srv://vault.example.net/x' });
    expect(problems).toEqual([expect.stringMatching(/^MONGODB_URI: must carry credentials/), expect.stringMatching(/^VAULT_MONGODB_URI: must carry credentials/)]);
    expect(problemsOf({ ...production, MONGODB_URI: 'mongodb://127.0.0.1:27017,db2.internal:27017/?replicaSet=rs' })[0]).toMatch(/^MONGODB_URI: /);
    expect(problems.join('\n')).not.toContain('db.internal');
  });

  it('accepts a MONGODB_URI with credentials or an auth mechanism, and one on loopback without', () => {
    for (const uri of [
      'mongodb://switchboard:s3cret@mongodb:27017/?authSource=admin',
      'mongodb+srv://user:pw@cluster.example.net/switchboard',
      'mongodb://db.internal:27017/?authMechanism=MONGODB-X509&tls=true',
      'mongodb://127.0.0.1:27017',
      'mongodb://localhost',
    ]) {
      expect(loadConfig({ ...production, MONGODB_URI: uri }).mongo.uri, uri).toBe(uri);
    }
  });

  it('checks none of this outside production', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'http://sb.example.com', MONGODB_URI: 'mongodb://db.internal:27017' }).production).toBe(false);
  });
});
