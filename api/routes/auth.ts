import { authenticate } from '../auth/authenticate.js';
import { defaultLoginRateLimit, loginRateLimit, type LoginRateLimitOptions } from '../auth/login-rate-limit.js';
import { authErrors, signedIn } from '../auth/route-auth.js';
import { errorBodySchema } from '../openapi/schemas.js';
import type { ApiRoutes } from '../openapi/routes.js';
import type { AccountDependencies } from '../use-cases/accounts/dependencies.js';
import { login } from '../use-cases/accounts/login.js';
import { ownUserId } from '../use-cases/accounts/own-account.js';
import { loginSchema, sessionSchema } from '../use-cases/accounts/schemas.js';

/** Sign in and out. */
export function registerAuthRoutes(routes: ApiRoutes, deps: AccountDependencies, options: { loginRateLimit?: LoginRateLimitOptions } = {}) {
  routes.add(
    { method: 'post', path: '/api/v1/auth/login', operationId: 'login', summary: 'Sign in with email and password; returns a session token (12 h at most, ends after the brand\'s idle timeout)',
      tags: ['auth'], body: loginSchema, before: [loginRateLimit(options.loginRateLimit ?? defaultLoginRateLimit)],
      responses: {
        200: { description: 'Signed in', schema: sessionSchema },
        401: { description: 'Email or password is wrong (invalid_credentials), whatever the reason: unknown, disabled or locked accounts answer the same', schema: errorBodySchema },
        429: { description: 'Too many attempts for this address and email (rate_limited)', schema: errorBodySchema },
      } },
    async ({ body, res }) => {
      res.json(await login(deps, body));
    },
  );
  routes.add(
    { method: 'post', path: '/api/v1/auth/logout', operationId: 'logout', summary: 'End this session', tags: ['auth'],
      ...signedIn(routes, deps), before: [authenticate(deps, { allowPendingPasswordChange: true })],
      responses: { 204: { description: 'Signed out' }, ...authErrors } },
    async ({ req, res }) => {
      const userId = ownUserId(req.principal);
      await deps.sessions.delete(req.sessionId!);
      await deps.audit.record({ brandId: req.principal!.brandId, action: 'auth.logout', actor: { kind: 'user', id: userId }, target: { kind: 'user', id: userId } });
      res.status(204).end();
    },
  );
}
