import { request } from 'node:https';
import { connect, type TLSSocket } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/local-servers/index.js';
import { ConfigError, loadConfig } from '../../config/index.js';
import { startTestSystem } from '../support/system.js';
import { makeThrowawayPki } from '../support/throwaway-ca.js';

const pki = await makeThrowawayPki();
const port = await freePort();
const system = await startTestSystem({
  worker: false,
  env: { PORT: String(port), TLS_CERT_FILE: pki.serverCertFile, TLS_KEY_FILE: pki.serverKeyFile, PUBLIC_BASE_URL: `https://127.0.0.1:${port}` },
});
afterAll(async () => {
  await system.stop();
  await pki.remove();
});

function get(path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; protocol: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, ca: pki.caCert }, (res) => {
      res.resume();
      const protocol = (res.socket as TLSSocket).getProtocol() ?? '';
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, protocol }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Offers only TLS 1.0–1.1 (the client's security level lowered so it really offers them): the handshake's outcome. */
function handshakeWithOldTls(): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, ca: pki.caCert, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' });
    socket.once('secureConnect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(`refused: ${error.code}`));
  });
}

describe('the API over HTTPS (TLS_CERT_FILE, TLS_KEY_FILE)', () => {
  it('serves HTTPS with the configured certificate, and says so in its URL', async () => {
    expect(system.url).toBe(`https://127.0.0.1:${port}`);
    const health = await get('/healthz');
    expect(health.status).toBe(200);
    expect(['TLSv1.2', 'TLSv1.3']).toContain(health.protocol);
  });

  it('sends Strict-Transport-Security', async () => {
    expect((await get('/healthz')).headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
  });

  it('refuses a TLS 1.0/1.1 handshake', async () => {
    // The server's own answer: "protocol version" (not a certificate or cipher problem on our side).
    expect(await handshakeWithOldTls()).toBe('refused: ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
  });

  it('marks the console\'s session cookie Secure', async () => {
    const response = await new Promise<string[]>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/api/v1/me', ca: pki.caCert, headers: { cookie: 'sb_session=sbs_unknown' } }, (res) => {
        res.resume();
        resolve(res.headers['set-cookie'] ?? []);
      });
      req.on('error', reject);
      req.end();
    });
    expect(response.join('\n')).toMatch(/sb_session=;.*Secure/);
  });
});

describe('TLS configuration', () => {
  it('refuses a certificate without its key (and the reverse) at start-up', () => {
    expect(() => loadConfig({ TLS_CERT_FILE: pki.serverCertFile })).toThrow(ConfigError);
    expect(() => loadConfig({ TLS_KEY_FILE: pki.serverKeyFile })).toThrow(ConfigError);
  });

  it('refuses a file that cannot be read or holds no PEM certificate', () => {
    expect(() => loadConfig({ TLS_CERT_FILE: `${pki.dir}/missing.crt`, TLS_KEY_FILE: pki.serverKeyFile })).toThrow(/TLS_CERT_FILE: cannot read/);
    expect(() => loadConfig({ TLS_CERT_FILE: pki.serverKeyFile, TLS_KEY_FILE: pki.serverKeyFile })).toThrow(/holds no PEM certificate/);
  });
});
