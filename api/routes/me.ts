import { authenticate } from '../auth/authenticate.js';
import { defaultLoginRateLimit, passwordChangeRateLimit, type LoginRateLimitOptions } from '../auth/login-rate-limit.js';
import { authErrors, signedIn } from '../auth/route-auth.js';
import { clearSessionCookie, cookieSession, csrfHeaderName } from '../auth/session-cookie.js';
import { UnauthorizedError } from '../errors.js';
import { errorBodySchema } from '../openapi/schemas.js';
import type { ApiRoutes } from '../openapi/routes.js';
import type { AccountDependencies } from '../use-cases/accounts/dependencies.js';
import { changeOwnPassword, describeMe } from '../use-cases/accounts/own-account.js';
import { changePasswordSchema, meSchema, newSessionSchema } from '../use-cases/accounts/schemas.js';

/** The signed-in user's own account: the only routes a user whose password an administrator set may use before choosing their own. */
export function registerMeRoutes(routes: ApiRoutes, deps: AccountDependencies, options: { passwordChangeRateLimit?: LoginRateLimitOptions } = {}) {
  const signIn = authenticate(deps, { allowPendingPasswordChange: true });
  const base = { tags: ['auth'], ...signedIn(routes, deps), before: [signIn] };
  routes.add(
    { ...base, method: 'get', path: '/api/v1/me', operationId: 'getMe',
      summary: 'Who is signed in: the user, their effective permissions and the idle timeout (and, for the session cookie, its CSRF token)',
      responses: { 200: { description: 'The signed-in user', schema: meSchema }, ...authErrors } },
    async ({ req, res }) => {
      const me = await describeMe(deps, req.brand!, req.principal);
      res.json(req.csrfToken ? { ...me, csrfToken: req.csrfToken } : me);
    },
  );
  routes.add(
    { ...base, method: 'post', path: '/api/v1/me/password', operationId: 'changeMyPassword',
      summary: 'Change my password (checked and rate limited like a sign-in; not one of my last 4): every session ends and a new one starts, held as this one was (token or cookie)',
      before: [signIn, passwordChangeRateLimit(deps.rateLimitHits, options.passwordChangeRateLimit ?? defaultLoginRateLimit)],
      body: changePasswordSchema,
      responses: {
        200: {
          description: 'Changed; use the new session: a Session (bearer) or, when the session cookie signed this request in, a CookieSession with a new sb_session cookie',
          schema: newSessionSchema,
        },
        ...authErrors,
        400: { description: 'The new password is too short for the policy (password_too_short) or one of my last 4 (password_reused)', schema: errorBodySchema },
        403: {
          description: `Current password wrong (wrong_password), an API token (user_session_required), or no valid ${csrfHeaderName} header with the session cookie (csrf_failed)`,
          schema: errorBodySchema,
        },
        429: { description: 'Too many password changes for this address and user (rate_limited)', schema: errorBodySchema },
      } },
    async ({ body, req, res }) => {
      if (req.sessionTransport !== 'cookie') {
        res.json(await changeOwnPassword(deps, req.brand!, req.principal, body));
        return;
      }
      try {
        res.json(cookieSession(res, await changeOwnPassword(deps, req.brand!, req.principal, body), deps.publicBaseUrl));
      } catch (error) {
        // Locked by this check: every session ended, so the cookie can no longer work.
        if (error instanceof UnauthorizedError) clearSessionCookie(res, deps.publicBaseUrl);
        throw error;
      }
    },
  );
}
