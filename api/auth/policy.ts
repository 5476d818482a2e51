import type { AccountPolicy, BrandDocument } from '../../db/repositories/brands.js';
import { ValidationError } from '../errors.js';

export type { AccountPolicy };

/**
 * Defaults, and the bounds a brand may choose within. The bounds are PCI DSS v4.0's floors:
 * passwords of 12 characters at least (8.3.6), a lock after at most 10 failures (8.3.4; it
 * lasts until an administrator unlocks), an idle timeout of 15 minutes at most (8.2.8).
 */
export const policyDefaults: AccountPolicy = { minPasswordLength: 12, maxFailedLogins: 3, idleTimeoutMinutes: 15 };
export const policyBounds: Record<keyof AccountPolicy, { min: number; max: number }> = {
  minPasswordLength: { min: 12, max: 128 },
  maxFailedLogins: { min: 3, max: 10 },
  idleTimeoutMinutes: { min: 1, max: 15 },
};
/** Longest password accepted anywhere (scrypt input stays small). */
export const maxPasswordLength = 256;
/** A new password may not be any of the user's last this many (8.3.7). */
export const passwordHistoryDepth = 4;

const within = (key: keyof AccountPolicy, value: number | undefined) => {
  const { min, max } = policyBounds[key];
  return Math.min(max, Math.max(min, value ?? policyDefaults[key]));
};

/** The brand's policy; a value stored before the floors were raised is read as the nearest allowed one. */
export function policyOf(brand: Pick<BrandDocument, 'policy'>): AccountPolicy {
  const stored = brand.policy ?? {};
  return {
    minPasswordLength: within('minPasswordLength', stored.minPasswordLength),
    maxFailedLogins: within('maxFailedLogins', stored.maxFailedLogins),
    idleTimeoutMinutes: within('idleTimeoutMinutes', stored.idleTimeoutMinutes),
  };
}

export function checkPasswordAgainstPolicy(password: string, policy: AccountPolicy, field: string): void {
  if ([...password].length >= policy.minPasswordLength) return;
  const message = `password must be at least ${policy.minPasswordLength} characters`;
  throw new ValidationError({ code: 'password_too_short', message, details: [{ in: 'body', path: field, message }] });
}
