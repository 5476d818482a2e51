import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '../../db/connection.js';
import { freePort } from '../../scripts/local-servers/free-port.js';
import { startFerretDb, type RunningDatabase } from '../../scripts/local-servers/ferretdb.js';
import { startTestSystem } from '../support/system.js';
import { makeThrowawayPki, type ThrowawayPki } from '../support/throwaway-ca.js';

/**
 * MongoDB and the vault over TLS, configured only through their connection strings (`tls=true`,
 * `tlsCAFile`, `tlsCertificateKeyFile`), against FerretDB listening with TLS only and a CA made
 * for this run.
 */
let pki: ThrowawayPki;
let tlsOnly: RunningDatabase;
let mutual: RunningDatabase;
let clientPemFile: string;

beforeAll(async () => {
  pki = await makeThrowawayPki();
  // The driver takes the client's certificate and key from one PEM file.
  clientPemFile = path.join(pki.dir, 'client.pem');
  await writeFile(clientPemFile, Buffer.concat([await readFile(pki.clientCertFile), await readFile(pki.clientKeyFile)]));
  const start = async (name: string, caFile?: string) =>
    startFerretDb({
      binaries: inject('binaries'),
      port: await freePort(),
      dataDir: path.join(pki.dir, name),
      logFile: path.join(pki.dir, `${name}.log`),
      tls: { certFile: pki.serverCertFile, keyFile: pki.serverKeyFile, ...(caFile ? { caFile } : {}) },
    });
  [tlsOnly, mutual] = await Promise.all([start('tls-only'), start('mutual', pki.caCertFile)]);
}, 60_000);

afterAll(async () => {
  await Promise.all([tlsOnly?.stop(), mutual?.stop()]);
  await pki?.remove();
});

const hostOf = (database: RunningDatabase) => new URL(database.uri).host;
const uri = (database: RunningDatabase, params: Record<string, string>) =>
  `mongodb://${hostOf(database)}/?${new URLSearchParams({ serverSelectionTimeoutMS: '2000', ...params })}`;

async function roundTrip(connectionString: string) {
  const database = connectDatabase({ uri: connectionString, dbName: 'tls_check' });
  try {
    await database.db.collection('checks').insertOne({ at: new Date() });
    return await database.db.collection('checks').countDocuments();
  } finally {
    await database.close();
  }
}

describe('MongoDB and the vault over TLS', () => {
  it('serves the API with both databases reached over TLS, trusting the CA named in the connection strings', async () => {
    const secured = uri(tlsOnly, { tls: 'true', tlsCAFile: pki.caCertFile });
    const system = await startTestSystem({ env: { MONGODB_URI: secured, VAULT_MONGODB_URI: secured, VAULT_MONGODB_DB: 'tls_vault' } });
    try {
      const ready = await fetch(`${system.url}/readyz`);
      expect(ready.status).toBe(200);
      const vaultRecordId = await system.services.vault.tokenize({ brandId: 'tls-brand', formId: 'tls-form', values: { accountNumber: '12345678' } });
      expect(await system.services.vault.detokenize(vaultRecordId, 'tls-brand')).toEqual({ accountNumber: '12345678' });
    } finally {
      await system.stop();
    }
  });

  it('refuses a server whose certificate no trusted CA signed', async () => {
    await expect(roundTrip(uri(tlsOnly, { tls: 'true' }))).rejects.toThrow();
  });

  it('cannot be reached without TLS when the server listens with TLS only', async () => {
    await expect(roundTrip(uri(tlsOnly, {}))).rejects.toThrow();
  });

  it('reaches a server requiring client certificates with the certificate and key the connection string names', async () => {
    expect(await roundTrip(uri(mutual, { tls: 'true', tlsCAFile: pki.caCertFile, tlsCertificateKeyFile: clientPemFile }))).toBeGreaterThan(0);
  });

  it('is refused by a server requiring client certificates when it presents none', async () => {
    await expect(roundTrip(uri(mutual, { tls: 'true', tlsCAFile: pki.caCertFile }))).rejects.toThrow();
  });
});
