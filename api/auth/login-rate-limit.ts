import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type ClientRateLimitInfo, type Store } from 'express-rate-limit';
import type { RateLimitHits } from '../../db/repositories/rate-limit-hits.js';
import { TooManyRequestsError } from '../errors.js';

export interface LoginRateLimitOptions {
  /** Attempts per window for one IP address and account. */
  limit: number;
  windowMs: number;
}

export const defaultLoginRateLimit: LoginRateLimitOptions = { limit: 10, windowMs: 60_000 };

function emailOf(req: Request): string {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase() : '';
}

/** express-rate-limit's counts kept in the database, so every API replica shares them. */
class SharedStore implements Store {
  readonly localKeys = false;

  constructor(
    private readonly hits: RateLimitHits,
    readonly prefix: string,
    private readonly options: LoginRateLimitOptions,
  ) {}

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const { count, resetTime } = await this.hits.hit(`${this.prefix}|${key}`, this.options.windowMs, this.options.limit);
    return { totalHits: count, resetTime };
  }

  async decrement(): Promise<void> {
    // Only skipSuccessfulRequests/skipFailedRequests take hits back: not used here.
  }

  async resetKey(key: string): Promise<void> {
    await this.hits.reset(`${this.prefix}|${key}`);
  }
}

/**
 * Counted in the database (RateLimitHits), so the limit holds across API replicas. The address is the
 * socket's unless TRUST_PROXY names the proxies in front (api/app.ts), so X-Forwarded-For cannot pick it.
 */
function passwordCheckRateLimit(
  options: LoginRateLimitOptions, hits: RateLimitHits, accountOf: (req: Request) => string, what: string,
): RequestHandler {
  return rateLimit({
    limit: options.limit,
    windowMs: options.windowMs,
    // The prefix names the limit too: limiters with other settings never share counts.
    store: new SharedStore(hits, `${what.replace(/\W+/g, '-')}|${options.limit}/${options.windowMs}`, options),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}|${accountOf(req)}`,
    handler: (_req, _res, next) => {
      next(new TooManyRequestsError({ message: `Too many ${what}: try again after the Retry-After delay` }));
    },
  });
}

/** Sign-in attempts per address and email. */
export const loginRateLimit = (hits: RateLimitHits, options: LoginRateLimitOptions = defaultLoginRateLimit) =>
  passwordCheckRateLimit(options, hits, emailOf, 'sign-in attempts');

/** Password changes (which check the current password) per address and signed-in user; runs after authentication. */
export const passwordChangeRateLimit = (hits: RateLimitHits, options: LoginRateLimitOptions = defaultLoginRateLimit) =>
  passwordCheckRateLimit(options, hits, (req) => req.principal?.userId ?? '', 'password changes');
