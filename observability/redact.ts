/**
 * What never reaches a log line: values under sensitive field names, at any depth, and secrets in URLs.
 * Names are compared without case, dashes or underscores (`current_password`, `X-Operator-Token`).
 */
export const REDACTED = '[redacted]';

const normalize = (key: string) => key.toLowerCase().replace(/[-_\s]/g, '');

const sensitiveNames = new Set(
  [
    // Credentials.
    'authorization', 'cookie', 'set-cookie', 'apiKey', 'encryptionKeys', 'pseudonymKey', 'privateKey', 'pin', 'otp',
    'submitKey', 'revealKey', 'openKey', 'oneTimeKey', 'signature', 'challenge',
    // Message and form content: logs carry ids and sizes, never what consumers wrote. Secure-form
    // values travel as `values`/`body`; the built-in templates' field names are listed too.
    'body', 'text', 'payloads', 'value', 'values', 'answers', 'submission',
    'cvv', 'cvc', 'securityCode', 'cardNumber', 'pan', 'nameOnCard', 'cardholderName', 'expiry', 'expirationDate',
    'ssn', 'secretAnswer', 'dateOfBirth', 'dob', 'accountNumber', 'routingNumber', 'iban',
  ].map(normalize),
);

/** Any name that says password, secret or passphrase, or ends in token (authToken, pageAccessToken, operatorToken…). */
const sensitivePattern = /password|passwd|passphrase|secret|token$/;

export function isSensitiveKey(key: string): boolean {
  const name = normalize(key);
  return sensitiveNames.has(name) || sensitivePattern.test(name);
}

const MAX_DEPTH = 12;

/**
 * A copy of `value` with every sensitive field replaced, at any depth (the original is never changed;
 * unchanged parts are shared). Plain objects, arrays and Errors (their own properties and causes) are
 * walked; other class instances, such as requests, are left to their serializers.
 */
export function redactSensitive(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) {
    const items = value.map((item) => redactSensitive(item, depth + 1));
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  if (value instanceof Error) return redactError(value, depth);
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, field] of Object.entries(value)) {
    const safe = isSensitiveKey(key) ? REDACTED : redactSensitive(field, depth + 1);
    if (safe !== field) (copy ??= { ...(value as Record<string, unknown>) })[key] = safe;
  }
  return copy ?? value;
}

/** An Error of the same class whose own properties (message and stack aside) are redacted: serializers copy them all. */
function redactError(error: Error, depth: number): Error {
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
  for (const key of Object.getOwnPropertyNames(error)) {
    const descriptor = Object.getOwnPropertyDescriptor(error, key)!;
    if ('value' in descriptor && key !== 'message' && key !== 'stack') {
      descriptor.value = isSensitiveKey(key) ? REDACTED : redactSensitive(descriptor.value, depth + 1);
    }
    Object.defineProperty(copy, key, descriptor);
  }
  return copy;
}

const decode = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/**
 * Path segments that are secrets, by the path's first segment. Express matches paths without case and with
 * a trailing slash, and the token may be percent-encoded: compare decoded and case-blind, redact whole segments.
 */
const secretSegments: Record<string, (segment: string) => boolean> = {
  // The operator token (Temporal UI puts it in the path): only the two verbs are kept.
  codec: (segment) => !/^(en|de)code$/i.test(segment),
  // Secure-form links carry one-time keys.
  forms: () => true,
};

const secretQueryKey = /token|secret|password|key|signature|challenge|code/i;

/** A URL as it may be logged: path secrets (codec token, form keys) and secret-looking query values removed. */
export function redactUrl(url: string): string {
  const queryAt = url.indexOf('?');
  const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
  const segments = pathname.split('/');
  const first = segments.findIndex((segment) => segment !== '');
  const isSecret = first === -1 ? undefined : secretSegments[decode(segments[first]!).toLowerCase()];
  const safePath = isSecret
    ? segments.map((segment, i) => (i > first && segment !== '' && isSecret(decode(segment)) ? REDACTED : segment)).join('/')
    : pathname;
  if (queryAt === -1) return safePath;
  const params = new URLSearchParams(url.slice(queryAt + 1));
  for (const key of [...params.keys()]) if (secretQueryKey.test(key)) params.set(key, REDACTED);
  return `${safePath}?${params.toString()}`;
}
