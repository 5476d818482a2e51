import type { ProfileRepository } from '../../db/repositories/profiles.js';
import type { UserDocument } from '../../db/repositories/users.js';
import { builtInProfiles, permissionNames, platformOnlyPermissions, type Permission, type Principal, type Role } from './principal.js';

export const isPermission = (name: string): name is Permission => (permissionNames as readonly string[]).includes(name);
export const isBuiltInProfile = (name: string): name is Role => Object.hasOwn(builtInProfiles, name);
export const isPlatformOnly = (name: string) => (platformOnlyPermissions as readonly string[]).includes(name);

/**
 * What a profile reference grants: a built-in one, or the brand's custom profile it names (nothing if that is gone).
 * A platform-only permission stored in a custom profile (written before only the platform could grant it) grants nothing.
 */
export async function profileGrants(profiles: ProfileRepository, brandId: string, ref: string): Promise<{ role?: Role; permissions: Permission[] }> {
  if (isBuiltInProfile(ref)) return { role: ref, permissions: [...builtInProfiles[ref]] };
  const custom = await profiles.findByName(brandId, ref.slice('custom:'.length));
  return custom ? { role: custom.role, permissions: custom.permissions.filter((name) => isPermission(name) && !isPlatformOnly(name)) as Permission[] } : { permissions: [] };
}

/** What a user is granted: their profile's permissions plus what the platform admin granted them. */
export async function grantsOf(profiles: ProfileRepository, user: Pick<UserDocument, '_id' | 'brandId' | 'profile'>): Promise<{ role?: Role; permissions: Permission[] }> {
  const [profile, platform] = await Promise.all([
    profileGrants(profiles, user.brandId, user.profile),
    profiles.platformGrantsOf(user.brandId, user._id, platformOnlyPermissions),
  ]);
  return { ...(profile.role ? { role: profile.role } : {}), permissions: [...profile.permissions, ...platform.filter(isPermission)] };
}

export async function userPrincipal(profiles: ProfileRepository, user: UserDocument): Promise<Principal> {
  const { role, permissions } = await grantsOf(profiles, user);
  return { kind: 'user', brandId: user.brandId, userId: user._id, ...(role ? { role } : {}), permissions: new Set(permissions), skills: [...user.skills] };
}

/** A brand API token: everything an admin may do except managing users, on every queue. */
export function integrationPrincipal(brandId: string, tokenId?: string): Principal {
  return {
    kind: 'integration', brandId, ...(tokenId ? { tokenId } : {}),
    permissions: new Set(builtInProfiles.admin.filter((name) => name !== 'users.manage')), skills: 'all',
  };
}
