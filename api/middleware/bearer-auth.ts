import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { BrandDocument, BrandRepository } from '../../db/repositories/brands.js';
import { UnauthorizedError } from '../errors.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The brand whose agent API token authenticated this request. */
    brand?: BrandDocument;
  }
}

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

function bearerToken(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice(7).trim() || undefined : undefined;
}

/** ADMIN_TOKEN for /api/v1/admin. */
export function requireAdmin(adminToken: string): RequestHandler {
  const expected = createHash('sha256').update(adminToken).digest();
  return (req, _res, next) => {
    const presented = bearerToken(req.header('authorization'));
    if (!presented || !timingSafeEqual(createHash('sha256').update(presented).digest(), expected)) {
      return next(new UnauthorizedError({ message: 'Send the admin token as "Authorization: Bearer <ADMIN_TOKEN>"' }));
    }
    next();
  };
}

/** A brand's agent API token; the brand it names scopes everything the request can see. */
export function requireBrand(brands: BrandRepository): RequestHandler {
  return async (req, _res, next) => {
    const presented = bearerToken(req.header('authorization'));
    const brand = presented ? await brands.findByApiTokenHash(sha256(presented)) : null;
    if (!brand || brand.status !== 'active') {
      return next(new UnauthorizedError({ message: 'Send an active brand API token as "Authorization: Bearer <token>"' }));
    }
    req.brand = brand;
    next();
  };
}
