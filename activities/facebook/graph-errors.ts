import { DeliveryError } from '../delivery/delivery-error.js';

/** The `error` object of a Graph API error response. */
export interface GraphError {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  fbtrace_id?: string;
}

const rateLimitCodes = new Set([4, 17, 32, 613]);
// 1200 is Messenger's own "temporary send message failure".
const temporaryCodes = new Set([1, 2, 1200]);

const permanentReasons: Record<number, string> = {
  190: 'The Page access token is invalid or expired: reconnect the page',
  551: 'This person is not available right now (they may have blocked the page or left Messenger)',
  100: 'Facebook rejected a parameter of the message (recipient, attachment URL or tag)',
  200: 'The page has not granted the permission to send messages: reconnect the page',
  230: 'The page has not granted the permission to send messages: reconnect the page',
};

export { parseRetryAfter } from '../delivery/retry-after.js';

/**
 * Classifies a Graph error by its code first: Graph answers rate limits and temporary failures with 4xx too.
 * Graph's own message is not kept (it may quote request fields).
 */
export function graphDeliveryError(httpStatus: number, error: GraphError | undefined, retryAfterMs: number | undefined): DeliveryError {
  const code = error?.code;
  const base = { provider: 'facebook' as const, httpStatus, code: code === undefined ? `http_${httpStatus}` : String(code) };
  if (code !== undefined && rateLimitCodes.has(code)) {
    const reason = 'Facebook is rate-limiting this page';
    return new DeliveryError({ ...base, reason, retryable: true, retryAfterMs });
  }
  if ((code !== undefined && temporaryCodes.has(code)) || httpStatus >= 500) {
    const reason = `Facebook failed temporarily (HTTP ${httpStatus})`;
    return new DeliveryError({ ...base, reason, retryable: true, retryAfterMs });
  }
  if (code === 10 && error?.error_subcode === 2018278) {
    return new DeliveryError({ ...base, reason: "Outside Messenger's messaging window", retryable: false });
  }
  const known = code === undefined ? undefined : permanentReasons[code];
  const reason = known ?? `Facebook refused the message (HTTP ${httpStatus}${code === undefined ? '' : `, error ${code}`})`;
  return new DeliveryError({ ...base, reason, retryable: false });
}

/** A DeliveryError for a request that got no answer, or the error itself when it is something else (a bug). */
export function fetchFailure(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const timedOut = error.name === 'TimeoutError';
  // undici rejects every connection-level failure with TypeError('fetch failed') and the socket error as cause.
  if (!timedOut && !(error instanceof TypeError && error.message === 'fetch failed')) return error;
  const cause = error.cause instanceof Error && 'code' in error.cause ? String(error.cause.code) : undefined;
  return new DeliveryError({
    provider: 'facebook',
    code: timedOut ? 'timeout' : 'network',
    reason: timedOut
      ? 'Facebook did not answer in time'
      : `Could not reach Facebook${cause ? ` (${cause})` : ''}`,
    retryable: true,
  });
}
