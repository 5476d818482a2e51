import type { ProfileRepository } from '../../db/repositories/profiles.js';
import type { UserDocument } from '../../db/repositories/users.js';
import { builtInProfiles, permissionNames, type Permission, type Principal, type Role } from './principal.js';

export const isPermission = (name: string): name is Permission => (permissionNames as readonly string[]).includes(name);
export const isBuiltInProfile = (name: string): name is Role => Object.hasOwn(builtInProfiles, name);

/** What a user's profile grants: a built-in one, or the brand's custom profile it names (nothing if that is gone). */
export async function grantsOf(profiles: ProfileRepository, user: Pick<UserDocument, 'brandId' | 'profile'>): Promise<{ role?: Role; permissions: Permission[] }> {
  if (isBuiltInProfile(user.profile)) return { role: user.profile, permissions: [...builtInProfiles[user.profile]] };
  const custom = await profiles.findByName(user.brandId, user.profile.slice('custom:'.length));
  return custom ? { role: custom.role, permissions: custom.permissions.filter(isPermission) } : { permissions: [] };
}

export async function userPrincipal(profiles: ProfileRepository, user: UserDocument): Promise<Principal> {
  const { role, permissions } = await grantsOf(profiles, user);
  return { kind: 'user', brandId: user.brandId, userId: user._id, ...(role ? { role } : {}), permissions: new Set(permissions), skills: [...user.skills] };
}

/** A brand API token: everything an admin may do except managing users, on every queue. */
export function integrationPrincipal(brandId: string): Principal {
  return { kind: 'integration', brandId, permissions: new Set(builtInProfiles.admin.filter((name) => name !== 'users.manage')), skills: 'all' };
}
