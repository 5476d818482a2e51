export type Provider = 'twilio' | 'facebook';

export interface DeliveryErrorOptions {
  provider: Provider;
  /** Provider's error code when it gave one (`21610`, `551`), else ours (`http_500`, `network`). */
  code: string;
  /** For agents: why it failed and what to do. Never quotes message content or consumer data. */
  reason: string;
  retryable: boolean;
  /** From Retry-After (or the provider's equivalent) when the provider asked us to wait. */
  retryAfterMs?: number;
  httpStatus?: number;
  cause?: unknown;
}

/** A provider refused or failed a send; `retryable` says whether trying again can help. */
export class DeliveryError extends Error {
  readonly provider: Provider;
  readonly code: string;
  readonly reason: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly httpStatus?: number;

  constructor(options: DeliveryErrorOptions) {
    super(`${options.provider} ${options.code}: ${options.reason}`, { cause: options.cause });
    this.name = 'DeliveryError';
    this.provider = options.provider;
    this.code = options.code;
    this.reason = options.reason;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.httpStatus = options.httpStatus;
  }
}
