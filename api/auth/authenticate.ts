import type { Request, RequestHandler } from 'express';
import type { BrandDocument, BrandRepository } from '../../db/repositories/brands.js';
import type { ProfileRepository } from '../../db/repositories/profiles.js';
import type { SessionDocument, SessionRepository } from '../../db/repositories/sessions.js';
import type { UserRepository } from '../../db/repositories/users.js';
import { sameSecret } from '../../crypto/secrets.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import '../middleware/bearer-auth.js'; // declares req.brand
import { integrationPrincipal, userPrincipal } from './permissions.js';
import { policyOf } from './policy.js';
import type { Principal } from './principal.js';
import { clearSessionCookie, cookieValue, csrfHeaderName, csrfTokenFor, sessionCookieName } from './session-cookie.js';
import { bearerToken, hashToken, sessionLifetimeMs, sessionTokenPrefix } from './tokens.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Hash of the session token, for session (not API token) requests. */
    sessionId?: string;
    /** How a session request was signed in: the Authorization header, or the sb_session cookie (only without that header). */
    sessionTransport?: 'bearer' | 'cookie';
    /** Cookie sessions only: the X-CSRF-Token value this session's changing requests must send. */
    csrfToken?: string;
  }
}

export interface AuthenticateDependencies {
  brands: BrandRepository;
  users: UserRepository;
  sessions: SessionRepository;
  profiles: ProfileRepository;
  /** Where browsers reach the API (PUBLIC_BASE_URL): https makes the session cookie Secure (also Secure when unset). */
  publicBaseUrl?: string;
}

/** lastSeenAt is written at most this often: idle timeouts are minutes, writes per request are not needed. */
const touchIntervalMs = 30_000;

const signIn = () => new UnauthorizedError({ message: 'Sign in first: send "Authorization: Bearer <session or API token>"' });
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
const expired = (message: string) => new UnauthorizedError({ code: 'session_expired', message });
const minutes = (n: number) => `${n} minute${n === 1 ? '' : 's'}`;

type Authenticated = { principal: Principal; brand: BrandDocument; sessionId?: string };

export interface AuthenticateOptions {
  /** Only GET /me, POST /me/password and logout serve a user whose password an administrator set (PCI DSS 8.3.5). */
  allowPendingPasswordChange?: boolean;
}

/**
 * Accepts a session token (`sbs_…`) or a brand API token (`sbk_…`) in the Authorization header, or else
 * a session token in the sb_session cookie, and sets req.principal and req.brand; anything else is 401.
 * Permissions are checked afterwards with requirePermission.
 */
export function authenticate(deps: AuthenticateDependencies, options: AuthenticateOptions = {}): RequestHandler {
  return async (req, res, next) => {
    const header = req.header('authorization');
    const fromCookie = header === undefined ? cookieValue(req.header('cookie'), sessionCookieName) : undefined;
    if (fromCookie !== undefined) {
      checkCsrf(req.method, req.header(csrfHeaderName), fromCookie);
      try {
        // Only the console uses the cookie, and it holds a session: a brand API token is never accepted from it.
        if (!fromCookie.startsWith(sessionTokenPrefix)) throw signIn();
        setPrincipal(req, await fromSession(deps, hashToken(fromCookie), options));
      } catch (error) {
        // The browser would keep sending a cookie that can no longer work.
        if (error instanceof UnauthorizedError) clearSessionCookie(res, deps.publicBaseUrl);
        throw error;
      }
      req.sessionTransport = 'cookie';
      req.csrfToken = csrfTokenFor(fromCookie);
      return next();
    }
    const token = bearerToken(header);
    if (!token) return next(signIn());
    const found = token.startsWith(sessionTokenPrefix) ? await fromSession(deps, hashToken(token), options) : await fromApiToken(deps, hashToken(token));
    setPrincipal(req, found);
    if (found.sessionId) req.sessionTransport = 'bearer';
    next();
  };
}

function setPrincipal(req: Request, found: Authenticated): void {
  req.principal = found.principal;
  req.brand = found.brand;
  if (found.sessionId) req.sessionId = found.sessionId;
}

/**
 * A browser attaches the cookie by itself, so a request that changes something must also prove it comes from
 * a page that read the CSRF token. Checked before the session is even looked up: a forged request has no effect,
 * not even on the idle timer. A bearer token is never attached by itself, so it needs none.
 */
function checkCsrf(method: string, presented: string | undefined, sessionToken: string): void {
  if (safeMethods.has(method)) return;
  if (!presented) {
    throw new ForbiddenError({
      code: 'csrf_failed', message: `A request signed in by the session cookie that is not GET, HEAD or OPTIONS must send the "${csrfHeaderName}" header: the csrfToken from sign-in or GET /api/v1/me`,
    });
  }
  if (!sameSecret(presented, csrfTokenFor(sessionToken))) {
    throw new ForbiddenError({
      code: 'csrf_failed', message: `The "${csrfHeaderName}" header does not belong to this session: use the csrfToken from sign-in or GET /api/v1/me`,
    });
  }
}

/** An expired or revoked token answers exactly like one that never existed. */
async function fromApiToken(deps: AuthenticateDependencies, hash: string): Promise<Authenticated> {
  const brand = await deps.brands.findByApiTokenHash(hash);
  const token = brand?.apiTokens.find((candidate) => candidate.hash === hash);
  if (!brand || !token || brand.status !== 'active') throw signIn();
  if (token.expiresAt && Date.now() >= token.expiresAt.getTime()) throw signIn();
  if (await deps.brands.isApiTokenRevoked(brand._id, token.id)) throw signIn();
  return { principal: integrationPrincipal(brand._id, token.id), brand };
}

async function fromSession(deps: AuthenticateDependencies, hash: string, options: AuthenticateOptions): Promise<Authenticated> {
  const session = await deps.sessions.get(hash);
  if (!session) throw signIn();
  const [brand, user] = await Promise.all([deps.brands.get(session.brandId), deps.users.get(session.brandId, session.userId)]);
  if (!brand || brand.status !== 'active' || !user || user.status !== 'active') {
    await deps.sessions.delete(hash);
    throw signIn();
  }
  if (user.lockedAt) {
    await deps.sessions.delete(hash);
    throw new UnauthorizedError({ code: 'account_locked', message: 'This account is locked after too many failed password checks: ask an administrator to unlock it' });
  }
  await checkTimes(deps.sessions, session, policyOf(brand).idleTimeoutMinutes);
  if (user.mustChangePassword && !options.allowPendingPasswordChange) {
    throw new ForbiddenError({ code: 'password_change_required', message: 'Choose your own password first: POST /api/v1/me/password' });
  }
  return { principal: await userPrincipal(deps.profiles, user), brand, sessionId: hash };
}

async function checkTimes(sessions: SessionRepository, session: SessionDocument, idleMinutes: number): Promise<void> {
  const now = Date.now();
  const idleMs = now - session.lastSeenAt.getTime();
  if (idleMs > idleMinutes * 60_000) {
    await sessions.delete(session._id);
    throw expired(`Signed out after ${minutes(idleMinutes)} without activity: sign in again`);
  }
  if (now >= session.expiresAt.getTime()) {
    await sessions.delete(session._id);
    throw expired(`Signed out: a session lasts ${sessionLifetimeMs / 3_600_000} hours at most; sign in again`);
  }
  if (idleMs > touchIntervalMs) await sessions.touch(session._id, new Date(now));
}
