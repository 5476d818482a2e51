import { randomUUID } from 'node:crypto';
import type { BrandDocument } from '../../../db/repositories/brands.js';
import type { ProfileRef, UserChanges, UserDocument } from '../../../db/repositories/users.js';
import { newLoginEpoch } from '../../auth/password-guard.js';
import { hashPassword } from '../../auth/passwords.js';
import { isBuiltInProfile } from '../../auth/permissions.js';
import { checkPasswordAgainstPolicy, policyOf } from '../../auth/policy.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { AccountDependencies, Actor } from './dependencies.js';
import { actorOfGranter, assertMayAssign, assertMayChangeQueues, assertMayManage, assertNotOwnProfile, type Granter } from './grants.js';
import { toUserView } from './views.js';
import { isDuplicateKey } from '../../../db/errors.js';

export interface NewUser {
  email: string;
  name: string;
  profile: string;
  password: string;
  skills: string[];
  maxConcurrent: number;
}

export async function loadUser(deps: AccountDependencies, brandId: string, userId: string): Promise<UserDocument> {
  const user = await deps.users.get(brandId, userId);
  if (!user) throw new NotFoundError({ code: 'user_not_found', message: `No user "${userId}"` });
  return user;
}

/** A custom profile must exist in the user's brand. */
async function checkProfile(deps: AccountDependencies, brandId: string, profile: string): Promise<ProfileRef> {
  if (isBuiltInProfile(profile)) return profile;
  const name = profile.slice('custom:'.length);
  if (!(await deps.profiles.findByName(brandId, name))) {
    throw new ValidationError({ code: 'unknown_profile', message: `No profile "${name}" in this brand`, details: [{ in: 'body', path: 'profile', message: 'unknown profile' }] });
  }
  return profile as ProfileRef;
}

/** `by` may give the new user only a profile that grants nothing it lacks, and queues only with queues.manage. */
export async function createUser(deps: AccountDependencies, brand: BrandDocument, input: NewUser, by: Granter) {
  const actor = actorOfGranter(by);
  await assertMayAssign(deps, by, brand._id, input.profile);
  if (input.skills.length > 0) assertMayChangeQueues(by);
  checkPasswordAgainstPolicy(input.password, policyOf(brand), 'password');
  const now = new Date();
  const user: UserDocument = {
    _id: `usr_${randomUUID()}`, brandId: brand._id, email: input.email.toLowerCase(), name: input.name,
    profile: await checkProfile(deps, brand._id, input.profile), status: 'active',
    passwordHash: await hashPassword(input.password), passwordChangedAt: now, mustChangePassword: true, loginEpoch: newLoginEpoch(),
    skills: input.skills, maxConcurrent: input.maxConcurrent, availability: 'offline', createdAt: now, updatedAt: now,
  };
  try {
    await deps.users.insert(user);
  } catch (error) {
    if (isDuplicateKey(error)) throw new ConflictError({ code: 'user_exists', message: `This brand already has a user "${user.email}"` });
    throw error;
  }
  await deps.audit.record({ brandId: brand._id, action: 'user.created', actor, target: { kind: 'user', id: user._id }, details: { profile: user.profile } });
  return toUserView(user);
}

export async function updateUser(
  deps: AccountDependencies, brandId: string, userId: string, input: Omit<UserChanges, 'profile'> & { profile?: string }, by: Granter,
) {
  const actor = actorOfGranter(by);
  const before = await loadUser(deps, brandId, userId);
  await assertMayManage(deps, by, before);
  if (input.profile !== undefined) {
    assertNotOwnProfile(by, userId);
    await assertMayAssign(deps, by, brandId, input.profile);
  }
  if (input.skills !== undefined && JSON.stringify(input.skills) !== JSON.stringify(before.skills)) assertMayChangeQueues(by);
  const changes: UserChanges = { ...input, profile: input.profile ? await checkProfile(deps, brandId, input.profile) : undefined };
  if (!changes.profile) delete changes.profile;
  const after = await deps.users.update(brandId, userId, changes);
  if (!after) throw new NotFoundError({ code: 'user_not_found', message: `No user "${userId}"` });
  const target = { kind: 'user', id: userId };
  const changed = (Object.keys(changes) as (keyof UserChanges)[]).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));

  if (changed.includes('status') && after.status === 'disabled') {
    await deps.sessions.deleteForUser(userId);
    await deps.audit.record({ brandId, action: 'user.disabled', actor, target });
  }
  if (changed.includes('profile')) {
    await deps.audit.record({ brandId, action: 'profile.permissions_changed', actor, target, details: { profile: { from: before.profile, to: after.profile } } });
  }
  if (changed.some((key) => key === 'skills' || key === 'maxConcurrent' || key === 'status')) await deps.onAgentChanged?.(after);
  const others = changed.filter((key) => key !== 'profile' && !(key === 'status' && after.status === 'disabled'));
  if (others.length > 0) {
    await deps.audit.record({ brandId, action: 'user.updated', actor, target, details: Object.fromEntries(others.map((key) => [key, { from: before[key], to: after[key] }])) });
  }
  return toUserView(after);
}

export async function unlockUser(deps: AccountDependencies, brandId: string, userId: string, actor: Actor) {
  const epoch = newLoginEpoch();
  const user = await deps.users.unlock(brandId, userId, epoch);
  if (!user) throw new NotFoundError({ code: 'user_not_found', message: `No user "${userId}"` });
  await deps.attempts.clearOtherEpochs(userId, epoch);
  await deps.audit.record({ brandId, action: 'user.unlocked', actor, target: { kind: 'user', id: userId } });
  return toUserView(user);
}

/** An administrator sets a user's password: a temporary one, to be changed at first use (PCI DSS 8.3.5); signs the user out everywhere. */
export async function setPassword(deps: AccountDependencies, brand: BrandDocument, userId: string, password: string, actor: Actor, field = 'password') {
  checkPasswordAgainstPolicy(password, policyOf(brand), field);
  await loadUser(deps, brand._id, userId);
  const user = await deps.users.setPasswordHash(brand._id, userId, { passwordHash: await hashPassword(password), mustChangePassword: true }, new Date());
  if (!user) throw new NotFoundError({ code: 'user_not_found', message: `No user "${userId}"` });
  const revoked = await deps.sessions.deleteForUser(userId);
  await deps.audit.record({ brandId: brand._id, action: 'user.password_changed', actor, target: { kind: 'user', id: userId }, details: { sessionsRevoked: revoked, temporary: true } });
  return user;
}
