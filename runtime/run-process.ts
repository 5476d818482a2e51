import { ConfigError, loadConfig } from '../config/index.js';
import { createLogger } from '../observability/logger.js';
import { routeSdkLogsTo } from '../workers/sdk-logging.js';
import { requireSettings } from './settings.js';
import { startSystem } from './system.js';

/**
 * Runs a stand-alone process (API or worker) on configured servers — what
 * docker-compose and production deployments start — and stops it cleanly on
 * SIGINT/SIGTERM.
 */
export async function runProcess(run: { api: boolean; worker: boolean }): Promise<void> {
  let settings;
  try {
    settings = requireSettings(loadConfig());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const logger = createLogger({ level: settings.logLevel, name: run.worker && !run.api ? 'switchboard-worker' : 'switchboard-api' });
  // API processes run a worker too once they hold off-the-record answers (services/forms/off-record).
  routeSdkLogsTo(logger);

  const system = await startSystem({ settings, logger, run });
  logger.info({ api: system.api?.url, taskQueue: run.worker ? settings.temporal.taskQueue : undefined }, 'started');

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await system.stop();
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
  // A worker that crashes must take its process down so the orchestrator restarts it.
  system.worker?.done.catch((error: unknown) => {
    logger.fatal({ err: error }, 'worker crashed');
    process.exit(1);
  });
}
