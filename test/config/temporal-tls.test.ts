import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';

describe('TEMPORAL_TLS_*', () => {
  it('is off by default: a plaintext connection', () => {
    expect(loadConfig({}).temporal.tls).toBeUndefined();
  });

  it('TEMPORAL_TLS=true alone turns TLS on with the system\'s trusted roots (e.g. Temporal Cloud)', () => {
    expect(loadConfig({ TEMPORAL_TLS: 'true' }).temporal.tls).toEqual({});
  });

  it('names the server certificate\'s expected name', () => {
    expect(loadConfig({ TEMPORAL_TLS_SERVER_NAME: 'temporal.internal' }).temporal.tls).toEqual({ serverNameOverride: 'temporal.internal' });
  });

  it('refuses a client certificate without its key, and files it cannot read, naming them', () => {
    expect(() => loadConfig({ TEMPORAL_TLS_CERT_FILE: '/nonexistent/client.crt' })).toThrow(/TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE: set both/);
    expect(() => loadConfig({ TEMPORAL_TLS_CA_FILE: '/nonexistent/ca.crt' })).toThrow(/TEMPORAL_TLS_CA_FILE: cannot read \/nonexistent\/ca.crt/);
  });
});
