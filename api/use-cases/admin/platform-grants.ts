import type { Permission } from '../../auth/principal.js';
import { NotFoundError } from '../../errors.js';
import { platformActor, type AccountDependencies } from '../accounts/dependencies.js';
import { getBrand } from './brands.js';

export interface PlatformGrantView {
  userId: string;
  permission: Permission;
  granted: boolean;
}

async function existingUser(deps: AccountDependencies, brandId: string, userId: string) {
  await getBrand(deps.brands, brandId);
  if (!(await deps.users.get(brandId, userId))) throw new NotFoundError({ code: 'user_not_found', message: `No user "${userId}" in brand "${brandId}"` });
}

/** Grants a platform-only permission to one user (applies on their next request); idempotent, audited when it changes something. */
export async function grantPlatformPermission(deps: AccountDependencies, brandId: string, userId: string, permission: Permission): Promise<PlatformGrantView> {
  await existingUser(deps, brandId, userId);
  if (await deps.profiles.grant(brandId, userId, permission)) {
    await deps.audit.record({ brandId, action: 'permission.granted', actor: platformActor, target: { kind: 'user', id: userId }, details: { permission } });
  }
  return { userId, permission, granted: true };
}

export async function revokePlatformPermission(deps: AccountDependencies, brandId: string, userId: string, permission: Permission): Promise<PlatformGrantView> {
  await existingUser(deps, brandId, userId);
  if (await deps.profiles.revoke(brandId, userId, permission)) {
    await deps.audit.record({ brandId, action: 'permission.revoked', actor: platformActor, target: { kind: 'user', id: userId }, details: { permission } });
  }
  return { userId, permission, granted: false };
}
