import type { BrandDocument } from '../../../db/repositories/brands.js';
import { grantsOf } from '../../auth/permissions.js';
import { verifyPassword } from '../../auth/passwords.js';
import { policyOf } from '../../auth/policy.js';
import type { Principal } from '../../auth/principal.js';
import { startSession } from '../../auth/sessions.js';
import { ForbiddenError } from '../../errors.js';
import type { AccountDependencies } from './dependencies.js';
import { countFailure } from './login.js';
import { loadUser, setPassword } from './users.js';
import { toUserView } from './views.js';

/** The signed-in user behind a principal; API tokens have none. */
export function ownUserId(principal: Principal | undefined): string {
  if (principal?.kind !== 'user' || !principal.userId) {
    throw new ForbiddenError({ code: 'user_session_required', message: 'This needs a signed-in user, not an API token' });
  }
  return principal.userId;
}

export async function describeMe(deps: AccountDependencies, brand: BrandDocument, principal: Principal | undefined) {
  const user = await loadUser(deps, brand._id, ownUserId(principal));
  const { role, permissions } = await grantsOf(deps.profiles, user);
  return { user: toUserView(user), ...(role ? { role } : {}), permissions, idleTimeoutMinutes: policyOf(brand).idleTimeoutMinutes };
}

/** Needs the current password (a wrong one counts towards the lockout); signs out every session and returns a new one. */
export async function changeOwnPassword(
  deps: AccountDependencies,
  brand: BrandDocument,
  principal: Principal | undefined,
  input: { currentPassword: string; newPassword: string },
) {
  const userId = ownUserId(principal);
  const user = await loadUser(deps, brand._id, userId);
  const policy = policyOf(brand);
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await countFailure(deps, user, policy);
    throw new ForbiddenError({ code: 'wrong_password', message: 'The current password is wrong' });
  }
  const updated = await setPassword(deps, brand, userId, input.newPassword, { kind: 'user', id: userId }, 'newPassword');
  const session = await startSession(deps.sessions, updated, policy);
  return { token: session.token, expiresAt: session.expiresAt.toISOString(), user: toUserView(updated) };
}
