import { sameSecret } from '../../crypto/secrets.js';
import type { RequestHandler } from 'express';
import type { BrandDocument } from '../../db/repositories/brands.js';
import { UnauthorizedError } from '../errors.js';
import { bearerToken } from '../auth/tokens.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The brand whose agent API token authenticated this request. */
    brand?: BrandDocument;
  }
}

export { sha256 } from '../../crypto/secrets.js';

/** ADMIN_TOKEN for /api/v1/admin. */
export function requireAdmin(adminToken: string): RequestHandler {
  return (req, _res, next) => {
    const presented = bearerToken(req.header('authorization'));
    if (!presented || !sameSecret(presented, adminToken)) {
      return next(new UnauthorizedError({ message: 'Send the admin token as "Authorization: Bearer <ADMIN_TOKEN>"' }));
    }
    next();
  };
}
