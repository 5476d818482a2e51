import { authenticate } from '../auth/authenticate.js';
import { defaultLoginRateLimit, loginRateLimit, type LoginRateLimitOptions } from '../auth/login-rate-limit.js';
import { authErrors, signedIn } from '../auth/route-auth.js';
import { clearSessionCookie, cookieSession } from '../auth/session-cookie.js';
import { sessionLifetimeMs } from '../auth/tokens.js';
import { errorBodySchema } from '../openapi/schemas.js';
import type { ApiRoutes } from '../openapi/routes.js';
import type { AccountDependencies } from '../use-cases/accounts/dependencies.js';
import { login } from '../use-cases/accounts/login.js';
import { ownUserId } from '../use-cases/accounts/own-account.js';
import { loginSchema, newSessionSchema } from '../use-cases/accounts/schemas.js';

/** Sign in and out, with a session token (integrations) or the session cookie (the web console). */
export function registerAuthRoutes(routes: ApiRoutes, deps: AccountDependencies, options: { loginRateLimit?: LoginRateLimitOptions } = {}) {
  routes.add(
    { method: 'post', path: '/api/v1/auth/login', operationId: 'login', summary: 'Sign in with email and password; returns a session token, or with "session": "cookie" sets it as the HttpOnly sb_session cookie (12 h at most, ends after the brand\'s idle timeout)',
      tags: ['auth'], body: loginSchema, before: [loginRateLimit(deps.rateLimitHits, options.loginRateLimit ?? defaultLoginRateLimit)],
      responses: {
        200: {
          description: 'Signed in: a Session (the token in the body) or, for "session": "cookie", a CookieSession, with '
            + `"Set-Cookie: sb_session=<token>; HttpOnly; SameSite=Strict; Path=/; Max-Age=${sessionLifetimeMs / 1000}" (and Secure when PUBLIC_BASE_URL is https)`,
          schema: newSessionSchema,
        },
        401: { description: 'Email or password is wrong (invalid_credentials), whatever the reason: unknown, disabled or locked accounts answer the same', schema: errorBodySchema },
        429: { description: 'Too many attempts for this address and email (rate_limited)', schema: errorBodySchema },
      } },
    async ({ body, res }) => {
      const session = await login(deps, body);
      res.json(body.session === 'cookie' ? cookieSession(res, session, deps.publicBaseUrl) : session);
    },
  );
  routes.add(
    { method: 'post', path: '/api/v1/auth/logout', operationId: 'logout', summary: 'End this session (and clear the session cookie)', tags: ['auth'],
      ...signedIn(routes, deps), before: [authenticate(deps, { allowPendingPasswordChange: true })],
      responses: {
        204: { description: 'Signed out; a session cookie is cleared (Max-Age=0)' },
        ...authErrors,
        401: { description: 'Not signed in, or the session had already ended (session_expired, account_locked); a session cookie is cleared all the same', schema: errorBodySchema },
      } },
    async ({ req, res }) => {
      const userId = ownUserId(req.principal);
      await deps.sessions.delete(req.sessionId!);
      await deps.audit.record({ brandId: req.principal!.brandId, action: 'auth.logout', actor: { kind: 'user', id: userId }, target: { kind: 'user', id: userId } });
      if (req.sessionTransport === 'cookie') clearSessionCookie(res, deps.publicBaseUrl);
      res.status(204).end();
    },
  );
}
