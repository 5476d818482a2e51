import { randomBytes, randomUUID } from 'node:crypto';
import { sha256 } from '../../crypto/secrets.js';
import type { ApiTokenRecord } from '../../db/repositories/brands.js';

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

export const apiTokenPrefix = 'sbk_';
const dayMs = 24 * 60 * 60 * 1000;

/** A brand API token, shown once: only its hash is stored. Without `expiresInDays` it lasts until revoked. */
export function newApiToken(expiresInDays?: number): { token: string; record: ApiTokenRecord } {
  const token = `${apiTokenPrefix}${randomBytes(24).toString('base64url')}`;
  const createdAt = new Date();
  const expiresAt = expiresInDays ? { expiresAt: new Date(createdAt.getTime() + expiresInDays * dayMs) } : {};
  return { token, record: { id: `tok_${randomUUID().slice(0, 8)}`, hash: sha256(token), createdAt, ...expiresAt } };
}
