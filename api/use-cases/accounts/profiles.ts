import { randomUUID } from 'node:crypto';
import type { ProfileDocument } from '../../../db/repositories/profiles.js';
import { isBuiltInProfile, isPlatformOnly } from '../../auth/permissions.js';
import type { Permission, Role } from '../../auth/principal.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { actorOfGranter, assertMayGrant, type Granter } from './grants.js';
import type { AccountDependencies } from './dependencies.js';
import { builtInProfileViews, toProfileView } from './views.js';
import { isDuplicateKey } from '../../../db/errors.js';

export async function listProfiles(deps: AccountDependencies, brandId: string) {
  return [...builtInProfileViews(), ...(await deps.profiles.list(brandId)).map(toProfileView)];
}

/** A custom profile grants nothing its creator lacks, and never a platform-only permission. */
export async function createProfile(deps: AccountDependencies, brandId: string, input: { name: string; role: Role; permissions: Permission[] }, by: Granter) {
  assertMayGrant(by, input.permissions, 'permissions');
  const now = new Date();
  const profile: ProfileDocument = { _id: `prf_${randomUUID()}`, brandId, name: input.name, role: input.role, permissions: input.permissions, createdAt: now, updatedAt: now };
  try {
    await deps.profiles.insert(profile);
  } catch (error) {
    if (isDuplicateKey(error)) throw new ConflictError({ code: 'profile_exists', message: `This brand already has a profile "${input.name}"` });
    throw error;
  }
  await deps.audit.record({
    brandId, action: 'profile.created', actor: actorOfGranter(by), target: { kind: 'profile', id: profile._id },
    details: { name: profile.name, role: profile.role, permissions: profile.permissions },
  });
  return toProfileView(profile);
}

/** Only someone holding everything the profile grants, before and after, may change it (its users would gain or lose what they lack). */
export async function updateProfile(deps: AccountDependencies, brandId: string, profileId: string, changes: { role?: Role; permissions?: Permission[] }, by: Granter) {
  if (isBuiltInProfile(profileId)) {
    throw new ConflictError({ code: 'profile_built_in', message: `The built-in profile "${profileId}" cannot change: create a custom profile instead` });
  }
  const before = await deps.profiles.get(brandId, profileId);
  if (!before) throw new NotFoundError({ code: 'profile_not_found', message: `No profile "${profileId}"` });
  // A platform-only name stored before the rule existed grants nothing (see profileGrants), so it does not bar the change.
  assertMayGrant(by, [...before.permissions.filter((name) => !isPlatformOnly(name)), ...(changes.permissions ?? [])], 'permissions');
  const after = await deps.profiles.update(brandId, profileId, changes);
  if (!after) throw new NotFoundError({ code: 'profile_not_found', message: `No profile "${profileId}"` });
  await deps.audit.record({
    brandId, action: 'profile.permissions_changed', actor: actorOfGranter(by), target: { kind: 'profile', id: profileId },
    details: {
      name: after.name, role: { from: before.role, to: after.role },
      added: after.permissions.filter((name) => !before.permissions.includes(name)), removed: before.permissions.filter((name) => !after.permissions.includes(name)),
    },
  });
  return toProfileView(after);
}
