import type { UserDocument } from '../../../db/repositories/users.js';
import { grantsOf, isPlatformOnly, profileGrants } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import { ForbiddenError, NotFoundError } from '../../errors.js';
import { actorOf, platformActor, type AccountDependencies, type Actor } from './dependencies.js';

/** Who grants: a brand's principal (a user; API tokens cannot manage users), or the platform admin, who may grant anything. */
export type Granter = Principal | 'platform';

export const actorOfGranter = (granter: Granter): Actor => (granter === 'platform' ? platformActor : actorOf(granter));

const lacking = (granter: Principal, permissions: readonly string[]) =>
  [...new Set(permissions)].filter((name) => isPlatformOnly(name) || !(granter.permissions as ReadonlySet<string>).has(name));

/** Nobody grants what they do not hold; platform-only permissions are granted through the platform admin API alone. */
export function assertMayGrant(granter: Granter, permissions: readonly string[], path: string): void {
  if (granter === 'platform') return;
  const missing = lacking(granter, permissions);
  if (missing.length === 0) return;
  const platformOnly = missing.filter(isPlatformOnly);
  throw new ForbiddenError({
    code: 'permission_not_grantable',
    message: `You cannot grant what you do not hold: ${missing.join(', ')}` +
      (platformOnly.length > 0 ? ` (${platformOnly.join(', ')} is granted per user through the platform admin API only)` : ''),
    details: missing.map((name) => ({ in: 'body', path, message: `not grantable: ${name}` })),
  });
}

/** Giving a user a profile grants everything in it. */
export async function assertMayAssign(deps: AccountDependencies, granter: Granter, brandId: string, profileRef: string): Promise<void> {
  if (granter === 'platform') return;
  assertMayGrant(granter, (await profileGrants(deps.profiles, brandId, profileRef)).permissions, 'profile');
}

/**
 * Changing, unlocking or resetting the password of a user who holds more than you would hand you
 * their access (reset their password, sign in as them), so only someone holding all of it may.
 */
export async function assertMayManage(deps: AccountDependencies, granter: Granter, user: UserDocument): Promise<void> {
  if (granter === 'platform') return;
  const missing = (await grantsOf(deps.profiles, user)).permissions.filter((name) => !granter.permissions.has(name));
  if (missing.length > 0) {
    throw new ForbiddenError({ code: 'user_outranks_you', message: `This user holds permissions you do not (${missing.join(', ')}): only someone who holds them all can manage this user` });
  }
}

/** Queue membership (skills) decides which conversations an agent sees and gets: it takes queues.manage. */
export function assertMayChangeQueues(granter: Granter): void {
  if (granter === 'platform' || granter.permissions.has('queues.manage')) return;
  throw new ForbiddenError({ code: 'permission_denied', message: 'Changing a user\'s queues (skills) needs the "queues.manage" permission' });
}

/** Separation of duties: nobody changes their own profile; another administrator (or the platform) does. */
export function assertNotOwnProfile(granter: Granter, userId: string): void {
  if (granter !== 'platform' && granter.kind === 'user' && granter.userId === userId) {
    throw new ForbiddenError({ code: 'own_profile', message: 'You cannot change your own profile: ask another administrator' });
  }
}

/** For actions on a user by id (unlock, password reset): 404 for a user not in the brand, 403 for one who outranks `by`. */
export async function assertMayManageUser(deps: AccountDependencies, by: Granter, brandId: string, userId: string): Promise<void> {
  const user = await deps.users.get(brandId, userId);
  if (!user) throw new NotFoundError({ code: 'user_not_found', message: `No user "${userId}"` });
  await assertMayManage(deps, by, user);
}
