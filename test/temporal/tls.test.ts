import { connect as connectTcp } from 'node:net';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { readFile } from 'node:fs/promises';
import { Connection } from '@temporalio/client';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runSystemCheck } from '../../runtime/system.js';
import { startTestSystem, type TestSystem } from '../support/system.js';
import { makeThrowawayPki } from '../support/throwaway-ca.js';

/**
 * The dev server has no TLS flags: a TLS terminator in front of it (node:tls, TLS 1.2+, HTTP/2 by ALPN,
 * client certificates required and checked against the run's CA) stands in for a TLS-enabled frontend.
 */
const pki = await makeThrowawayPki();
const [devHost, devPort] = inject('temporalAddress').split(':') as [string, string];
const handshakes: { authorized: boolean; peer: string }[] = [];
const terminator: Server = createServer(
  {
    cert: await readFile(pki.serverCertFile), key: await readFile(pki.serverKeyFile), ca: pki.caCert,
    requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2', ALPNProtocols: ['h2'],
  },
  (socket: TLSSocket) => {
    handshakes.push({ authorized: socket.authorized, peer: String(socket.getPeerCertificate().subject?.CN ?? '') });
    const upstream = connectTcp(Number(devPort), devHost);
    socket.pipe(upstream).pipe(socket);
    const end = () => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on('error', end);
    upstream.on('error', end);
  },
);
await new Promise<void>((resolve) => terminator.listen(0, '127.0.0.1', resolve));
const terminatorAddress = `127.0.0.1:${(terminator.address() as { port: number }).port}`;

let system: TestSystem | undefined;
afterAll(async () => {
  await system?.stop();
  await new Promise((resolve) => terminator.close(resolve));
  await pki.remove();
});

describe('Temporal over TLS (TEMPORAL_TLS_*)', () => {
  it('the client and the worker reach Temporal through mutual TLS, and a workflow runs end to end', async () => {
    system = await startTestSystem({
      worker: true,
      env: {
        TEMPORAL_ADDRESS: terminatorAddress,
        TEMPORAL_TLS_CA_FILE: pki.caCertFile,
        TEMPORAL_TLS_CERT_FILE: pki.clientCertFile,
        TEMPORAL_TLS_KEY_FILE: pki.clientKeyFile,
        TEMPORAL_TLS_SERVER_NAME: 'localhost',
      },
    });
    const check = await runSystemCheck(system.services, 'tls-test');
    expect(check.databaseRoundTripMs).toBeGreaterThanOrEqual(0);
    // Both the client (grpc-js) and the worker (Rust core) came through the terminator with the client certificate.
    expect(handshakes.length).toBeGreaterThanOrEqual(2);
    expect(handshakes.every((handshake) => handshake.authorized && handshake.peer === 'switchboard-worker')).toBe(true);
  }, 120_000);

  it('a client without the client certificate is refused by the mTLS frontend', async () => {
    const before = handshakes.length;
    await expect(
      Connection.connect({ address: terminatorAddress, tls: { serverRootCACertificate: pki.caCert, serverNameOverride: 'localhost' }, connectTimeout: 3_000 }),
    ).rejects.toThrow();
    expect(handshakes.length).toBe(before);
  });
});
