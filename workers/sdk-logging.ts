import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from 'pino';

const toSdkLevel: Record<string, LogLevel> = {
  trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR', fatal: 'ERROR', silent: 'ERROR',
};

/**
 * Sends the Temporal SDK's own logs (worker and core) through our pino logger.
 * At most WARN by default: the SDK's INFO includes the webpack bundle report.
 * Call once per process, before the first worker is created.
 */
export function routeSdkLogsTo(logger: Logger): void {
  const level = logger.level === 'debug' || logger.level === 'trace' ? toSdkLevel[logger.level]! : 'WARN';
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => {
      const method = entry.level === 'ERROR' ? 'error' : entry.level === 'WARN' ? 'warn' : entry.level === 'INFO' ? 'info' : 'debug';
      logger[method]({ sdk: entry.meta }, entry.message);
    }),
  });
}
