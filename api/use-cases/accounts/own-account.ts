import type { BrandDocument } from '../../../db/repositories/brands.js';
import type { UserDocument } from '../../../db/repositories/users.js';
import { checkUserPassword } from '../../auth/password-guard.js';
import { grantsOf } from '../../auth/permissions.js';
import { hashPassword, verifyPassword } from '../../auth/passwords.js';
import { checkPasswordAgainstPolicy, passwordHistoryDepth, policyOf } from '../../auth/policy.js';
import type { Principal } from '../../auth/principal.js';
import { startSession } from '../../auth/sessions.js';
import { ForbiddenError, UnauthorizedError, ValidationError } from '../../errors.js';
import type { AccountDependencies } from './dependencies.js';
import { loadUser } from './users.js';
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

/**
 * Needs the current password, checked like a sign-in (a wrong one counts towards the lockout, a locked
 * account is refused); the new one may not be any of the last four. Signs out every session and returns a new one.
 */
export async function changeOwnPassword(
  deps: AccountDependencies,
  brand: BrandDocument,
  principal: Principal | undefined,
  input: { currentPassword: string; newPassword: string },
) {
  const userId = ownUserId(principal);
  const user = await loadUser(deps, brand._id, userId);
  const policy = policyOf(brand);
  const check = await checkUserPassword(deps, user, policy, input.currentPassword, 'password_change');
  if (check === 'locked') {
    await deps.sessions.deleteForUser(userId);
    throw new UnauthorizedError({ code: 'account_locked', message: 'This account is locked after too many failed password checks: ask an administrator to unlock it' });
  }
  if (check === 'wrong') throw new ForbiddenError({ code: 'wrong_password', message: 'The current password is wrong' });

  checkPasswordAgainstPolicy(input.newPassword, policy, 'newPassword');
  await refuseReuse(user, input.newPassword);
  const passwordHash = await hashPassword(input.newPassword);
  const passwordHistory = [passwordHash, ...(user.passwordHistory ?? [])].slice(0, passwordHistoryDepth);
  const updated = await deps.users.setPasswordHash(brand._id, userId, { passwordHash, mustChangePassword: false, passwordHistory }, new Date());
  if (!updated) throw new UnauthorizedError({ message: 'Sign in first' });
  const revoked = await deps.sessions.deleteForUser(userId);
  await deps.audit.record({ brandId: brand._id, action: 'user.password_changed', actor: { kind: 'user', id: userId }, target: { kind: 'user', id: userId }, details: { sessionsRevoked: revoked } });
  const session = await startSession(deps.sessions, updated, policy);
  return { token: session.token, expiresAt: session.expiresAt.toISOString(), user: toUserView(updated) };
}

/** The current password (even a temporary one) and the user's last own passwords (PCI DSS 8.3.7). */
async function refuseReuse(user: UserDocument, password: string): Promise<void> {
  const recent = [...new Set([user.passwordHash, ...(user.passwordHistory ?? []).slice(0, passwordHistoryDepth)])];
  for (const hash of recent) {
    if (await verifyPassword(hash, password)) {
      const message = `newPassword must differ from your last ${passwordHistoryDepth} passwords`;
      throw new ValidationError({ code: 'password_reused', message, details: [{ in: 'body', path: 'newPassword', message }] });
    }
  }
}
