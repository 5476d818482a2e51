import path from 'node:path';
import { startGuarded } from './guarded-process.js';

export interface RunningDatabase {
  uri: string;
  stop(): Promise<void>;
  /** SIGKILLs the server (not its guard), as a crash would; resolves once it exited. */
  kill(): Promise<void>;
}

/** Starts the embedded FerretDB (SQLite files under `dataDir`) and waits until it accepts connections. */
export async function startFerretDb(options: {
  binaries: { db: string; guard: string };
  port: number;
  dataDir: string;
  logFile?: string;
  /** Listen with TLS only (PEM files); with `caFile`, clients must present a certificate it signed. */
  tls?: { certFile: string; keyFile: string; caFile?: string };
}): Promise<RunningDatabase> {
  const address = `127.0.0.1:${options.port}`;
  const listen = options.tls
    ? ['-listen', '', '-listen-tls', address, '-tls-cert', options.tls.certFile, '-tls-key', options.tls.keyFile, ...(options.tls.caFile ? ['-tls-ca', options.tls.caFile] : [])]
    : ['-listen', address];
  const server = startGuarded({
    guardBinary: options.binaries.guard,
    command: options.binaries.db,
    args: [...listen, '-data', options.dataDir],
    logFile: options.logFile ?? path.join(options.dataDir, '..', 'logs', 'ferretdb.log'),
  });
  const uri = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`FerretDB did not start within 30 s:\n${server.recentOutput()}`)), 30_000);
    server.onLine((line) => {
      const match = /^ready (mongodb:\/\/\S+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void server.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`FerretDB exited with code ${code} before it was ready:\n${server.recentOutput()}`));
    });
  });
  return { uri, stop: () => server.stop(), kill: () => server.kill() };
}
