import type { RequestHandler } from 'express';
import { errorBodySchema } from '../openapi/schemas.js';
import type { ApiRoutes, ResponseSpec } from '../openapi/routes.js';
import { authenticate, type AuthenticateDependencies } from './authenticate.js';
import { requirePermission, type Permission } from './principal.js';
import { csrfHeaderName, sessionCookieName } from './session-cookie.js';

const documented = new WeakSet<ApiRoutes>();

/** Route options for "a session or a brand API token, holding this permission"; documents the session schemes once. */
export function signedIn(routes: ApiRoutes, deps: AuthenticateDependencies, permission?: Permission): { security: string[]; before: RequestHandler[] } {
  if (!documented.has(routes)) {
    routes.registry.registerComponent('securitySchemes', 'sessionToken', {
      type: 'http', scheme: 'bearer', description: 'A user session token (sbs_…) from POST /api/v1/auth/login',
    });
    routes.registry.registerComponent('securitySchemes', 'sessionCookie', {
      type: 'apiKey', in: 'cookie', name: sessionCookieName,
      description: `The web console's session: the HttpOnly cookie POST /api/v1/auth/login sets when asked for {"session": "cookie"}. `
        + `Used only without an Authorization header (which wins). Every such request that is not GET, HEAD or OPTIONS must also send `
        + `"${csrfHeaderName}: <csrfToken>" (from sign-in, a password change or GET /api/v1/me), or it is refused with 403 csrf_failed. `
        + 'A 401 caused by the cookie also clears it.',
    });
    documented.add(routes);
  }
  return { security: ['sessionToken', 'sessionCookie', 'brandToken'], before: [authenticate(deps), ...(permission ? [requirePermission(permission)] : [])] };
}

export const authErrors: Record<number, ResponseSpec> = {
  401: {
    description: 'Not signed in, the session expired (session_expired), or the account is locked (account_locked); when the session cookie was sent, the answer also clears it',
    schema: errorBodySchema,
  },
  403: {
    description: 'The principal lacks the permission (permission_denied), must first replace the password an administrator set (password_change_required), '
      + `or, signed in by the session cookie, did not send this session's ${csrfHeaderName} header on a request that is not GET, HEAD or OPTIONS (csrf_failed)`,
    schema: errorBodySchema,
  },
};
