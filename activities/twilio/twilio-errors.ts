import { DeliveryError } from '../delivery/delivery-error.js';

const permanentReasons: Record<number, string> = {
  21610: 'The consumer has opted out (replied STOP) of messages from this number',
  21211: "The recipient's number is not a valid phone number",
  21612: 'Twilio cannot route a message from this number to the recipient',
  21408: 'This Twilio account is not permitted to send SMS to the recipient\'s country (Geo Permissions)',
  21614: "The recipient's number is not a mobile number and cannot receive SMS",
  20003: 'Twilio rejected the account credentials: fix them in the channel settings',
  21606: "The sending number is not an SMS-capable number of this Twilio account: fix it in the channel settings",
};

export function twilioCredentialsError(): DeliveryError {
  return new DeliveryError({ provider: 'twilio', code: '20003', reason: permanentReasons[20003]!, retryable: false });
}

interface TwilioApiError {
  status: number;
  code?: number;
}

// RestException (legacy `{ code, message, more_info, status }`) and TwilioServiceException (RFC 9457) both carry these.
function asApiError(error: unknown): TwilioApiError | undefined {
  if (!(error instanceof Error) || !('status' in error) || typeof error.status !== 'number') return undefined;
  const code = 'code' in error && typeof error.code === 'number' ? error.code : undefined;
  return { status: error.status, code };
}

function asNetworkError(error: unknown): { timedOut: boolean; code: string } | undefined {
  if (typeof error !== 'object' || error === null || !('isAxiosError' in error) || error.isAxiosError !== true) return undefined;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : 'unknown';
  return { timedOut: code === 'ECONNABORTED' || code === 'ETIMEDOUT', code };
}

/**
 * A DeliveryError for a failed Twilio call, or the error itself when it is neither an API answer nor a network
 * failure (a bug: let it surface). The provider's message is not kept, not even as `cause`: Twilio quotes phone
 * numbers in it, and axios errors carry the Authorization header.
 */
export function toTwilioDeliveryError(error: unknown, retryAfterMs: number | undefined): unknown {
  const api = asApiError(error);
  if (api) return classifyApiError(api, retryAfterMs);
  const network = asNetworkError(error);
  if (!network) return error;
  return new DeliveryError({
    provider: 'twilio',
    code: network.timedOut ? 'timeout' : 'network',
    reason: network.timedOut
      ? 'Twilio did not answer in time'
      : `Could not reach Twilio (${network.code})`,
    retryable: true,
  });
}

function classifyApiError({ status, code }: TwilioApiError, retryAfterMs: number | undefined): DeliveryError {
  const base = { provider: 'twilio' as const, code: code === undefined ? `http_${status}` : String(code), httpStatus: status };
  if (status === 429 || code === 20429) {
    const reason = 'Twilio is rate-limiting this account';
    return new DeliveryError({ ...base, reason, retryable: true, retryAfterMs });
  }
  if (status >= 500) {
    return new DeliveryError({ ...base, reason: `Twilio failed (HTTP ${status})`, retryable: true });
  }
  const known = code === undefined ? undefined : permanentReasons[code];
  const reason = known ?? (code === undefined
    ? `Twilio refused the request (HTTP ${status})`
    : `Twilio refused the message (error ${code}): see https://www.twilio.com/docs/errors/${code}`);
  return new DeliveryError({ ...base, reason, retryable: false });
}
