import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { ApiError, api, setCsrfToken } from '../api/client';
import type { Me, Permission } from '../api/types';
import type { LiveStream } from '../live/stream';

/** What every signed-in view may use. */
export interface Session {
  me: Me;
  live: LiveStream;
  can(permission: Permission): boolean;
  /** Re-reads GET /api/v1/me (availability, permissions). */
  refresh(): Promise<void>;
  signOut(notice?: string): Promise<void>;
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in view');
  return session;
}

interface CookieSession {
  expiresAt: string;
  csrfToken: string;
}

/** Signs in with a cookie session (the token never reaches page script) and returns who is signed in. */
export async function signIn(input: { brandId: string; email: string; password: string }): Promise<Me> {
  const session = await api<CookieSession>('POST', '/api/v1/auth/login', { body: { ...input, session: 'cookie' }, quiet401: true });
  setCsrfToken(session.csrfToken);
  return readMe();
}

/** Who is signed in by the cookie, if anyone (a reload lands here). */
export async function readMe(): Promise<Me> {
  const me = await api<Me>('GET', '/api/v1/me', { quiet401: true });
  if (me.csrfToken) setCsrfToken(me.csrfToken);
  return me;
}

export async function restoreSession(): Promise<Me | undefined> {
  try {
    return await readMe();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return undefined;
    throw error;
  }
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<Me> {
  const session = await api<CookieSession>('POST', '/api/v1/me/password', { body: { currentPassword, newPassword }, quiet401: true });
  setCsrfToken(session.csrfToken);
  return readMe();
}

export async function endSession(): Promise<void> {
  try {
    await api('POST', '/api/v1/auth/logout', { quiet401: true });
  } catch {
    // Already over on the server; the cookie is cleared either way.
  }
  setCsrfToken(undefined);
}

/** The words for a 401 that ended the session. */
export function signedOutNotice(error: ApiError): string {
  switch (error.code) {
    case 'session_expired':
      return error.message;
    case 'account_locked':
      return 'Your account is locked after too many failed password checks. Ask an administrator to unlock it.';
    default:
      return 'Your session ended. Sign in again.';
  }
}
