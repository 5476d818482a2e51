import { readFileSync } from 'node:fs';

/** The API's own HTTPS: a certificate chain and its private key (PEM), read once at start-up. */
export interface ServerTls {
  cert: Buffer;
  key: Buffer;
}

/** TLS_CERT_FILE and TLS_KEY_FILE: both or neither; each a readable PEM file. Problems in words, for ConfigError. */
export function loadServerTls(certFile: string | undefined, keyFile: string | undefined): { tls?: ServerTls; problems: string[] } {
  if (!certFile && !keyFile) return { problems: [] };
  if (!certFile || !keyFile) return { problems: ['TLS_CERT_FILE and TLS_KEY_FILE: set both (HTTPS) or neither (plain HTTP, e.g. behind a TLS proxy)'] };
  const problems: string[] = [];
  const read = (variable: string, file: string, marker: RegExp) => {
    try {
      const pem = readFileSync(file);
      if (!marker.test(pem.toString('latin1'))) problems.push(`${variable}: ${file} holds no PEM ${variable === 'TLS_CERT_FILE' ? 'certificate' : 'private key'}`);
      return pem;
    } catch (error) {
      problems.push(`${variable}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      return Buffer.alloc(0);
    }
  };
  const cert = read('TLS_CERT_FILE', certFile, /-----BEGIN CERTIFICATE-----/);
  const key = read('TLS_KEY_FILE', keyFile, /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/);
  return problems.length ? { problems } : { tls: { cert, key }, problems };
}
