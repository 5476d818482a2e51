import type { RequestHandler } from 'express';
import { errorBodySchema } from '../openapi/schemas.js';
import type { ApiRoutes, ResponseSpec } from '../openapi/routes.js';
import { authenticate, type AuthenticateDependencies } from './authenticate.js';
import { requirePermission, type Permission } from './principal.js';

const documented = new WeakSet<ApiRoutes>();

/** Route options for "a session or a brand API token, holding this permission"; documents the session scheme once. */
export function signedIn(routes: ApiRoutes, deps: AuthenticateDependencies, permission?: Permission): { security: string[]; before: RequestHandler[] } {
  if (!documented.has(routes)) {
    routes.registry.registerComponent('securitySchemes', 'sessionToken', {
      type: 'http', scheme: 'bearer', description: 'A user session token (sbs_…) from POST /api/v1/auth/login',
    });
    documented.add(routes);
  }
  return { security: ['sessionToken', 'brandToken'], before: [authenticate(deps), ...(permission ? [requirePermission(permission)] : [])] };
}

export const authErrors: Record<number, ResponseSpec> = {
  401: { description: 'Not signed in, the session expired (session_expired), or the account is locked (account_locked)', schema: errorBodySchema },
  403: { description: 'The principal lacks the permission (permission_denied), or must first replace the password an administrator set (password_change_required)', schema: errorBodySchema },
};
