import type { AccountPolicy, BrandDocument } from '../../db/repositories/brands.js';
import { ValidationError } from '../errors.js';

export type { AccountPolicy };

/** Defaults, and the bounds a brand may choose within; the floors (7 characters, 3 failures) are the secure-forms account setup's. */
export const policyDefaults: AccountPolicy = { minPasswordLength: 12, maxFailedLogins: 3, idleTimeoutMinutes: 15 };
export const policyBounds: Record<keyof AccountPolicy, { min: number; max: number }> = {
  minPasswordLength: { min: 7, max: 128 },
  maxFailedLogins: { min: 3, max: 10 },
  idleTimeoutMinutes: { min: 1, max: 60 },
};
/** Longest password accepted anywhere (scrypt input stays small). */
export const maxPasswordLength = 256;

export function policyOf(brand: Pick<BrandDocument, 'policy'>): AccountPolicy {
  const stored = brand.policy ?? {};
  return {
    minPasswordLength: stored.minPasswordLength ?? policyDefaults.minPasswordLength,
    maxFailedLogins: stored.maxFailedLogins ?? policyDefaults.maxFailedLogins,
    idleTimeoutMinutes: stored.idleTimeoutMinutes ?? policyDefaults.idleTimeoutMinutes,
  };
}

export function checkPasswordAgainstPolicy(password: string, policy: AccountPolicy, field: string): void {
  if ([...password].length >= policy.minPasswordLength) return;
  const message = `password must be at least ${policy.minPasswordLength} characters`;
  throw new ValidationError({ code: 'password_too_short', message, details: [{ in: 'body', path: field, message }] });
}
