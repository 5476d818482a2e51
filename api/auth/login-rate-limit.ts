import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
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

/**
 * In-memory, so per API process: behind N replicas an address gets up to N × limit. The address is
 * the socket's unless TRUST_PROXY names the proxies in front (api/app.ts), so X-Forwarded-For cannot pick it.
 */
function passwordCheckRateLimit(options: LoginRateLimitOptions, accountOf: (req: Request) => string, what: string): RequestHandler {
  return rateLimit({
    limit: options.limit,
    windowMs: options.windowMs,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}|${accountOf(req)}`,
    handler: (_req, _res, next) => {
      next(new TooManyRequestsError({ message: `Too many ${what}: try again after the Retry-After delay` }));
    },
  });
}

/** Sign-in attempts per address and email. */
export const loginRateLimit = (options: LoginRateLimitOptions = defaultLoginRateLimit) => passwordCheckRateLimit(options, emailOf, 'sign-in attempts');

/** Password changes (which check the current password) per address and signed-in user; runs after authentication. */
export const passwordChangeRateLimit = (options: LoginRateLimitOptions = defaultLoginRateLimit) =>
  passwordCheckRateLimit(options, (req) => req.principal?.userId ?? '', 'password changes');
