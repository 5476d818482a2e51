import { createHmac } from 'node:crypto';
import type { Response } from 'express';
import { sessionLifetimeMs } from './tokens.js';

/** The web console's session: the session token in a cookie page script cannot read. */
export const sessionCookieName = 'sb_session';
export const csrfHeaderName = 'X-CSRF-Token';

/** How the client asked to hold its session: the token in the body (integrations), or the cookie (the web console). */
export type SessionTransport = 'token' | 'cookie';

/**
 * Secure whenever browsers reach the API over https (PUBLIC_BASE_URL); without a base URL, Secure too:
 * a cookie a plain-http browser drops is a visible failure, one sent in clear is not.
 */
const isSecure = (publicBaseUrl: string | undefined) => !publicBaseUrl || new URL(publicBaseUrl).protocol === 'https:';

function attributes(publicBaseUrl: string | undefined, maxAgeSeconds: number): string {
  return `HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}${isSecure(publicBaseUrl) ? '; Secure' : ''}`;
}

export function setSessionCookie(res: Response, token: string, publicBaseUrl: string | undefined): void {
  res.append('Set-Cookie', `${sessionCookieName}=${token}; ${attributes(publicBaseUrl, sessionLifetimeMs / 1000)}`);
}

/** Same name and attributes, so the browser replaces the cookie and drops it at once. */
export function clearSessionCookie(res: Response, publicBaseUrl: string | undefined): void {
  res.append('Set-Cookie', `${sessionCookieName}=; ${attributes(publicBaseUrl, 0)}`);
}

/** The first `name` cookie of a Cookie header (the most specific path comes first), undefined if absent or empty. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const pair of header?.split(';') ?? []) {
    const equals = pair.indexOf('=');
    if (equals < 0 || pair.slice(0, equals).trim() !== name) continue;
    const value = pair.slice(equals + 1).trim().replace(/^"(.*)"$/, '$1');
    return value || undefined;
  }
  return undefined;
}

/**
 * The CSRF token of a cookie session: derived from the session token, so nothing is stored and it dies with
 * the session; only someone who can read the token (never page script) or this answer can compute it.
 */
export const csrfTokenFor = (sessionToken: string) => createHmac('sha256', sessionToken).update('switchboard-csrf-v1').digest('base64url');

/** The body that starts a session held in the cookie: the token itself goes only into the HttpOnly cookie. */
export function cookieSession<S extends { token: string }>(res: Response, session: S, publicBaseUrl: string | undefined): Omit<S, 'token'> & { csrfToken: string } {
  const { token, ...rest } = session;
  setSessionCookie(res, token, publicBaseUrl);
  return { ...rest, csrfToken: csrfTokenFor(token) };
}
