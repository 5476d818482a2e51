import type { Permission } from '../../api/types';

export type Role = 'agent' | 'manager' | 'admin';

/** A built-in or custom profile (GET /api/v1/profiles); `ref` is what a user's "profile" field holds. */
export interface Profile {
  id: string;
  name: string;
  ref: string;
  role: Role;
  builtIn: boolean;
  permissions: Permission[];
}

/** The brand's account policy (GET /api/v1/account-policy). */
export interface Policy {
  minPasswordLength: number;
  maxFailedLogins: number;
  idleTimeoutMinutes: number;
}

export const roles: Role[] = ['agent', 'manager', 'admin'];
