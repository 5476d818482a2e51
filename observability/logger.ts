import { pino, type DestinationStream, type Logger } from 'pino';

/** Field names whose values never reach a log line, at any of the first three levels. */
const sensitiveKeys = [
  'password', 'newPassword', 'token', 'accessToken', 'authToken', 'pageAccessToken', 'appSecret', 'verifyToken',
  'secret', 'apiKey', 'operatorToken', 'encryptionKeys', 'authorization', 'cookie',
  // Message and form content: logs carry ids and sizes, never what consumers wrote.
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
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Error messages may quote input: keep the type and stack frames, redact the rest through paths above.
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    options.destination,
  );
}

const secretQueryKey = /token|secret|password|key|signature|challenge|code/i;

/** A URL as it may be logged: tokens in the codec path and secret-looking query values removed. */
export function redactUrl(url: string): string {
  const [pathname = '', query] = url.split('?', 2);
  const safePath = pathname
    .replace(/^\/codec\/[^/]+\/(encode|decode)$/, '/codec/[redacted]/$1')
    // Secure-form links carry one-time keys.
    .replace(/^\/forms\/[A-Za-z0-9_-]{20,}$/, '/forms/[redacted]');
  if (!query) return safePath;
  const params = new URLSearchParams(query);
  for (const key of [...params.keys()]) if (secretQueryKey.test(key)) params.set(key, '[redacted]');
  return `${safePath}?${params.toString()}`;
}
