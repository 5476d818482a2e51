import { randomBytes } from 'node:crypto';
import { sha256 } from '../../crypto/secrets.js';

export const sessionTokenPrefix = 'sbs_';
export const sessionLifetimeMs = 12 * 60 * 60 * 1000;

/** Shown once to the client; only `hash` is stored. */
export function newSessionToken(): { token: string; hash: string } {
  const token = `${sessionTokenPrefix}${randomBytes(32).toString('base64url')}`;
  return { token, hash: sha256(token) };
}

export const hashToken = sha256;

export function bearerToken(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice(7).trim() || undefined : undefined;
}
