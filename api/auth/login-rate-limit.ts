import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { TooManyRequestsError } from '../errors.js';

export interface LoginRateLimitOptions {
  /** Attempts per window for one IP address and email. */
  limit: number;
  windowMs: number;
}

export const defaultLoginRateLimit: LoginRateLimitOptions = { limit: 10, windowMs: 60_000 };

function emailOf(req: Request): string {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase() : '';
}

/** In-memory, so per API process: behind N replicas an address gets up to N × limit. */
export function loginRateLimit(options: LoginRateLimitOptions = defaultLoginRateLimit): RequestHandler {
  return rateLimit({
    limit: options.limit,
    windowMs: options.windowMs,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}|${emailOf(req)}`,
    handler: (_req, _res, next) => {
      next(new TooManyRequestsError({ message: 'Too many sign-in attempts: try again after the Retry-After delay' }));
    },
  });
}
