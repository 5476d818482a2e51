import { pino, type DestinationStream, type Logger } from 'pino';
import { redactSensitive } from './redact.js';

export { redactUrl } from './redact.js';

/** A second net behind redactSensitive, applied to serializers' output too: field names at the first three levels. */
const sensitiveKeys = [
  'password', 'currentPassword', 'newPassword', 'token', 'accessToken', 'authToken', 'pageAccessToken', 'appSecret', 'verifyToken',
  'secret', 'apiKey', 'operatorToken', 'encryptionKeys', 'authorization', 'cookie', 'submitKey', 'revealKey',
  'body', 'text', 'Body', 'payloads', 'value', 'values', 'cvv', 'cardNumber', 'pan', 'ssn',
];

export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-twilio-signature"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-operator-token"]',
  'res.headers["set-cookie"]',
  ...sensitiveKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
];

export function createLogger(options: { level: string; destination?: DestinationStream; name?: string }): Logger {
  return pino(
    {
      name: options.name ?? 'switchboard',
      level: options.level,
      redact: { paths: redactPaths, censor: '[redacted]' },
      // Sensitive field names at any depth, in what is logged and in child loggers' bindings (see redact.ts).
      formatters: {
        log: (object) => redactSensitive(object) as Record<string, unknown>,
        bindings: (bindings) => redactSensitive(bindings) as typeof bindings,
      },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Error messages may quote input: keep the type and stack frames, redact the rest through the names above.
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    options.destination,
  );
}
