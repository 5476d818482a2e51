import { createHash, timingSafeEqual } from 'node:crypto';

/** Hex SHA-256: how tokens and keys are stored (never the values themselves). */
export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** Constant-time comparison of two secrets of any length (both are hashed to equal length first). */
export function sameSecret(presented: string, expected: string): boolean {
  return timingSafeEqual(createHash('sha256').update(presented).digest(), createHash('sha256').update(expected).digest());
}
