import { Writable } from 'node:stream';
import { createLogger } from '../../observability/logger.js';

/** A real pino logger whose output is kept in memory, to assert what reaches the logs. */
export function captureLogs(level = 'debug') {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = createLogger({ level, destination });
  return { logger, lines, text: () => lines.join('\n') };
}
