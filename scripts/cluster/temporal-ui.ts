import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { startGuarded } from '../local-servers/guarded-process.js';

export interface RunningTemporalUi {
  url: string;
  stop(): Promise<void>;
}

/**
 * Temporal UI's own server (the one the CLI's dev server embeds), configured as the dev server
 * configures it: on 127.0.0.1:`port`, decoding payloads through `codecEndpoint`.
 */
export async function startTemporalUi(options: {
  binary: string;
  guardBinary: string;
  dir: string;
  port: number;
  temporalAddress: string;
  namespace: string;
  codecEndpoint: string;
  logFile: string;
}): Promise<RunningTemporalUi> {
  const env = 'cluster';
  const configDir = path.join(options.dir, 'config');
  mkdirSync(configDir, { recursive: true });
  const config = {
    host: '127.0.0.1',
    port: options.port,
    temporalGrpcAddress: options.temporalAddress,
    enableUi: true,
    defaultNamespace: options.namespace,
    notifyOnNewVersion: false,
    hideLogs: true,
    cors: { cookieInsecure: true },
    // The codec URL carries the operator token: readable by us only.
    codec: { endpoint: options.codecEndpoint },
  };
  writeFileSync(path.join(configDir, `${env}.yaml`), YAML.stringify(config), { mode: 0o600 });
  const server = startGuarded({
    guardBinary: options.guardBinary,
    command: options.binary,
    args: ['--root', options.dir, '--config', 'config', '--env', env, 'start'],
    logFile: options.logFile,
  });
  const url = `http://127.0.0.1:${options.port}`;
  let exitCode: number | null | undefined;
  void server.exited.then((code) => (exitCode = code));
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // not listening yet
    }
    if (exitCode !== undefined || Date.now() > deadline) {
      await server.stop();
      throw new Error(`Temporal UI ${exitCode === undefined ? 'not answering after 30 s' : `exited with code ${exitCode}`}:\n${server.recentOutput()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url, stop: () => server.stop() };
}
