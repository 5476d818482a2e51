// `npm start`: the whole system on one machine — embedded Temporal dev server and
// FerretDB (unless TEMPORAL_ADDRESS / MONGODB_URI point elsewhere), worker and API.
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../config/index.js';
import { createLogger } from '../observability/logger.js';
import { runSystemCheck, startSystem } from '../runtime/system.js';
import { requireSettings, withDevSecrets } from '../runtime/settings.js';
import { routeSdkLogsTo } from '../workers/sdk-logging.js';
import { buildConsole } from './console-build.js';
import {
  isPortFree,
  prepareLocalServers,
  startLocalDatabase,
  startLocalTemporal,
  type RunningDatabase,
  type RunningTemporal,
} from './local-servers/index.js';

const say = (message: string) => process.stdout.write(`[switchboard] ${message}\n`);

async function assertPortFree(port: number, variable: string) {
  if (!(await isPortFree(port))) throw new Error(`Port ${port} is already in use: stop what uses it or set ${variable}`);
}

async function startLocalServers(config: Config) {
  const needTemporal = !config.temporal.address;
  const needDatabase = !config.mongo.uri;
  let temporal: RunningTemporal | undefined;
  let database: RunningDatabase | undefined;
  if (!needTemporal && !needDatabase) return { config, stop: async () => {} };

  const binaries = await prepareLocalServers({ temporalCliPath: config.temporal.cliPath, log: say });
  const dataDir = path.resolve(config.dataDir);
  const stop = async () => {
    await temporal?.stop();
    await database?.stop();
  };
  try {
    if (needDatabase) {
      await assertPortFree(config.mongo.embeddedPort, 'MONGODB_PORT');
      say(`Starting FerretDB on 127.0.0.1:${config.mongo.embeddedPort} (data: ${path.join(dataDir, 'ferretdb')})`);
      database = await startLocalDatabase({
        binaries,
        port: config.mongo.embeddedPort,
        dataDir: path.join(dataDir, 'ferretdb'),
        logFile: path.join(dataDir, 'logs', 'ferretdb.log'),
      });
    }
    if (needTemporal) {
      await assertPortFree(config.temporal.embeddedPort, 'TEMPORAL_PORT');
      await assertPortFree(config.temporal.uiPort, 'TEMPORAL_UI_PORT');
      say(`Starting Temporal dev server on 127.0.0.1:${config.temporal.embeddedPort} (data: ${path.join(dataDir, 'temporal')})`);
      temporal = await startLocalTemporal({
        binaries,
        port: config.temporal.embeddedPort,
        uiPort: config.temporal.uiPort,
        namespace: config.temporal.namespace,
        dbFile: path.join(dataDir, 'temporal', 'temporal.db'),
        logFile: path.join(dataDir, 'logs', 'temporal.log'),
        codecEndpoint: `${config.http.publicBaseUrl}/codec/${config.security.operatorToken}`,
      });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    config: {
      ...config,
      temporal: { ...config.temporal, address: temporal?.address ?? config.temporal.address },
      mongo: { ...config.mongo, uri: database?.uri ?? config.mongo.uri },
    },
    temporalUiUrl: temporal?.uiUrl,
    stop,
  };
}

async function main() {
  const config = withDevSecrets(loadConfig());
  const logger = createLogger({ level: config.logLevel });
  routeSdkLogsTo(logger);
  const consoleBuild = await buildConsole();
  if (consoleBuild.built) say(`Console built into ${consoleBuild.outDir}`);
  const local = await startLocalServers(config);
  const settings = requireSettings(local.config);

  let system;
  try {
    system = await startSystem({ settings, logger, run: { api: true, worker: true } });
  } catch (error) {
    await local.stop();
    throw error;
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping (API, worker, then local servers)...`);
    await system.stop();
    await local.stop();
    say('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const check = await runSystemCheck(system.services, 'startup');
  say(`Self-check passed: worker and database answer (database round trip ${check.databaseRoundTripMs} ms).`);
  say(`Console:      ${settings.http.publicBaseUrl}/console/  (first account: see README "The console")`);
  say(`API:          ${system.api!.url}  (OpenAPI: ${system.api!.url}/openapi.json, ready: ${system.api!.url}/readyz)`);
  if (local.temporalUiUrl) say(`Temporal UI:  ${local.temporalUiUrl}  (payloads decoded through ${settings.http.publicBaseUrl}/codec)`);
  say(`Temporal:     ${settings.temporal.address}  namespace "${settings.temporal.namespace}", task queue "${settings.temporal.taskQueue}"`);
  say('Ready. Press Ctrl+C to stop.');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`[switchboard] start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
