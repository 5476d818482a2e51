import { readPem } from './pem.js';

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
  const cert = readPem('TLS_CERT_FILE', certFile, 'certificate', problems);
  const key = readPem('TLS_KEY_FILE', keyFile, 'private key', problems);
  return cert && key && problems.length === 0 ? { tls: { cert, key }, problems } : { problems };
}
