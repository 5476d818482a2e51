import { readPem } from './pem.js';

/** How the Temporal client and worker reach the frontend over TLS (the SDK's TLSConfig shape). */
export interface TemporalTls {
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
  serverNameOverride?: string;
}

export interface TemporalTlsEnv {
  TEMPORAL_TLS?: boolean;
  TEMPORAL_TLS_CA_FILE?: string;
  TEMPORAL_TLS_CERT_FILE?: string;
  TEMPORAL_TLS_KEY_FILE?: string;
  TEMPORAL_TLS_SERVER_NAME?: string;
}

/**
 * TLS towards Temporal when TEMPORAL_TLS is true or any TEMPORAL_TLS_* is set: the CA to trust (else the
 * system's roots, e.g. Temporal Cloud), a client certificate and key for mTLS (both or neither), and the
 * name the server's certificate must carry when it differs from TEMPORAL_ADDRESS's host.
 */
export function loadTemporalTls(env: TemporalTlsEnv): { tls?: TemporalTls; problems: string[] } {
  const anySet = env.TEMPORAL_TLS || env.TEMPORAL_TLS_CA_FILE || env.TEMPORAL_TLS_CERT_FILE || env.TEMPORAL_TLS_KEY_FILE || env.TEMPORAL_TLS_SERVER_NAME;
  if (!anySet) return { problems: [] };
  const problems: string[] = [];
  if (!env.TEMPORAL_TLS_CERT_FILE !== !env.TEMPORAL_TLS_KEY_FILE) {
    problems.push('TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE: set both (mTLS) or neither');
  }
  const pem = (variable: 'TEMPORAL_TLS_CA_FILE' | 'TEMPORAL_TLS_CERT_FILE' | 'TEMPORAL_TLS_KEY_FILE', kind: 'certificate' | 'private key') => {
    const file = env[variable];
    return file ? readPem(variable, file, kind, problems) : undefined;
  };
  const ca = pem('TEMPORAL_TLS_CA_FILE', 'certificate');
  const crt = pem('TEMPORAL_TLS_CERT_FILE', 'certificate');
  const key = pem('TEMPORAL_TLS_KEY_FILE', 'private key');
  if (problems.length) return { problems };
  return {
    tls: {
      ...(ca ? { serverRootCACertificate: ca } : {}),
      ...(crt && key ? { clientCertPair: { crt, key } } : {}),
      ...(env.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME } : {}),
    },
    problems,
  };
}
