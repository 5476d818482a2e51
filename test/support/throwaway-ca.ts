import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface ThrowawayPki {
  dir: string;
  caCert: Buffer;
  caCertFile: string;
  /** A server certificate for 127.0.0.1 and localhost, signed by the CA. */
  serverCertFile: string;
  serverKeyFile: string;
  /** A client certificate (mTLS), signed by the CA. */
  clientCertFile: string;
  clientKeyFile: string;
  remove(): Promise<void>;
}

/** A CA, a server and a client certificate made with Debian's openssl for this run only (keys never leave the temp dir). */
export async function makeThrowawayPki(): Promise<ThrowawayPki> {
  const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-pki-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/CN=Switchboard test CA', '-keyout', file('ca.key'), '-out', file('ca.crt'));
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=127.0.0.1',
    '-keyout', file('server.key'), '-out', file('server.csr'));
  await writeFile(file('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial',
    '-days', '1', '-extfile', file('server.ext'), '-out', file('server.crt'));
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=switchboard-worker',
    '-keyout', file('client.key'), '-out', file('client.csr'));
  await writeFile(file('client.ext'), 'extendedKeyUsage=clientAuth\n');
  openssl('x509', '-req', '-in', file('client.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial',
    '-days', '1', '-extfile', file('client.ext'), '-out', file('client.crt'));
  return {
    dir,
    caCert: await readFile(file('ca.crt')),
    caCertFile: file('ca.crt'),
    clientCertFile: file('client.crt'),
    clientKeyFile: file('client.key'),
    serverCertFile: file('server.crt'),
    serverKeyFile: file('server.key'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
