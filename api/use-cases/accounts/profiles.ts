import { randomUUID } from 'node:crypto';
import { MongoServerError } from 'mongodb';
import type { ProfileDocument } from '../../../db/repositories/profiles.js';
import { isBuiltInProfile } from '../../auth/permissions.js';
import type { Permission, Role } from '../../auth/principal.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import type { AccountDependencies, Actor } from './dependencies.js';
import { builtInProfileViews, toProfileView } from './views.js';

export async function listProfiles(deps: AccountDependencies, brandId: string) {
  return [...builtInProfileViews(), ...(await deps.profiles.list(brandId)).map(toProfileView)];
}

export async function createProfile(deps: AccountDependencies, brandId: string, input: { name: string; role: Role; permissions: Permission[] }, actor: Actor) {
  const now = new Date();
  const profile: ProfileDocument = { _id: `prf_${randomUUID()}`, brandId, name: input.name, role: input.role, permissions: input.permissions, createdAt: now, updatedAt: now };
  try {
    await deps.profiles.insert(profile);
  } catch (error) {
    if (error instanceof MongoServerError && error.code === 11000) throw new ConflictError({ code: 'profile_exists', message: `This brand already has a profile "${input.name}"` });
    throw error;
  }
  await deps.audit.record({ brandId, action: 'profile.created', actor, target: { kind: 'profile', id: profile._id }, details: { name: profile.name, role: profile.role, permissions: profile.permissions } });
  return toProfileView(profile);
}

export async function updateProfile(deps: AccountDependencies, brandId: string, profileId: string, changes: { role?: Role; permissions?: Permission[] }, actor: Actor) {
  if (isBuiltInProfile(profileId)) {
    throw new ConflictError({ code: 'profile_built_in', message: `The built-in profile "${profileId}" cannot change: create a custom profile instead` });
  }
  const before = await deps.profiles.get(brandId, profileId);
  const after = before && (await deps.profiles.update(brandId, profileId, changes));
  if (!before || !after) throw new NotFoundError({ code: 'profile_not_found', message: `No profile "${profileId}"` });
  await deps.audit.record({
    brandId, action: 'profile.permissions_changed', actor, target: { kind: 'profile', id: profileId },
    details: {
      name: after.name, role: { from: before.role, to: after.role },
      added: after.permissions.filter((name) => !before.permissions.includes(name)), removed: before.permissions.filter((name) => !after.permissions.includes(name)),
    },
  });
  return toProfileView(after);
}
