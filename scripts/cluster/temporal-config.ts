import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { projectRoot } from '../local-servers/paths.js';
import type { RunningPostgres } from './postgres.js';
import { temporalInternalPorts } from './temporal-ports.js';
import { TEMPORAL_DATABASES } from './temporal-schema.js';

/** The dynamic config docker-compose mounts (activity eager execution, id length limit): one file for both. */
export const DYNAMIC_CONFIG_FILE = path.join(projectRoot, 'deploy', 'temporal', 'dynamicconfig', 'switchboard.yaml');

export interface TemporalServerConfig {
  /** Directory holding `<env>.yaml`, as `temporal-server --config` wants it. */
  configDir: string;
  env: string;
  frontendPort: number;
  metricsAddress: string;
}

interface SqlStore {
  sql: { connectAddr: string; user: string; password: string; databaseName: string };
}

/**
 * The server's configuration, generated on every start from the module's own
 * `config/development-postgres12.yaml`: our PostgreSQL, `historyShards` shards, every port on
 * 127.0.0.1 (the frontend on `frontendPort`, the others as temporal-ports.ts keeps them), warnings only in the log.
 */
export async function writeTemporalConfig(options: {
  temporalModuleDir: string;
  dir: string;
  postgres: RunningPostgres;
  frontendPort: number;
  historyShards: number;
}): Promise<TemporalServerConfig> {
  const template = readFileSync(path.join(options.temporalModuleDir, 'config', 'development-postgres12.yaml'), 'utf8');
  const config = YAML.parse(template);
  config.log.level = 'warn';
  config.persistence.numHistoryShards = options.historyShards;
  const stores = config.persistence.datastores as Record<string, SqlStore>;
  for (const [name, store] of Object.entries(stores)) {
    store.sql.connectAddr = `${options.postgres.host}:${options.postgres.port}`;
    store.sql.user = options.postgres.user;
    store.sql.password = options.postgres.password;
    store.sql.databaseName = name === config.persistence.visibilityStore ? TEMPORAL_DATABASES.visibility : TEMPORAL_DATABASES.default;
  }
  mkdirSync(options.dir, { recursive: true });
  const ports = await temporalInternalPorts(path.join(options.dir, 'ports.json'));
  for (const service of ['frontend', 'history', 'matching', 'worker'] as const) {
    const rpc = config.services[service].rpc;
    rpc.grpcPort = service === 'frontend' ? options.frontendPort : ports.grpc[service];
    rpc.membershipPort = ports.membership[service];
    rpc.bindOnLocalHost = true;
  }
  config.services.frontend.rpc.httpPort = ports.http;
  const metricsAddress = `127.0.0.1:${ports.metrics}`;
  config.global.metrics.prometheus.listenAddress = metricsAddress;
  config.global.pprof.port = 0; // off
  config.clusterMetadata.clusterInformation.active.rpcAddress = `127.0.0.1:${options.frontendPort}`;
  config.dynamicConfigClient.filepath = DYNAMIC_CONFIG_FILE;

  const env = 'cluster';
  const configDir = path.join(options.dir, 'config');
  mkdirSync(configDir, { recursive: true });
  // It holds the database password: readable by us only.
  writeFileSync(path.join(configDir, `${env}.yaml`), YAML.stringify(config), { mode: 0o600 });
  return { configDir, env, frontendPort: options.frontendPort, metricsAddress };
}
