import type { UserDocument } from '../../../db/repositories/users.js';
import { burnPasswordCheck, verifyPassword } from '../../auth/passwords.js';
import { policyOf, type AccountPolicy } from '../../auth/policy.js';
import { startSession } from '../../auth/sessions.js';
import { ForbiddenError, UnauthorizedError } from '../../errors.js';
import type { AccountDependencies } from './dependencies.js';
import { toUserView } from './views.js';

// One answer for unknown brand, unknown email, wrong password and disabled user, so none can be told apart.
const invalidCredentials = () => new UnauthorizedError({ code: 'invalid_credentials', message: 'Email or password is wrong' });

export async function login(deps: AccountDependencies, input: { brandId: string; email: string; password: string }) {
  const brand = await deps.brands.get(input.brandId);
  const user = brand?.status === 'active' ? await deps.users.findByEmail(brand._id, input.email) : null;
  if (!brand || !user) {
    await burnPasswordCheck(input.password);
    if (brand) await deps.audit.record({ brandId: brand._id, action: 'auth.login_failed', actor: { kind: 'system' }, details: { reason: 'unknown_email' } });
    throw invalidCredentials();
  }
  const policy = policyOf(brand);
  const correct = await verifyPassword(user.passwordHash, input.password);
  const failed = (reason: string) =>
    deps.audit.record({ brandId: brand._id, action: 'auth.login_failed', actor: { kind: 'system' }, target: { kind: 'user', id: user._id }, details: { reason } });

  if (user.status !== 'active') {
    await failed('disabled');
    throw invalidCredentials();
  }
  if (user.lockedAt) {
    await failed('locked');
    if (!correct) throw invalidCredentials();
    throw new ForbiddenError({ code: 'account_locked', message: 'This account is locked after too many failed sign-ins: ask an administrator to unlock it' });
  }
  if (!correct) {
    await failed('wrong_password');
    await countFailure(deps, user, policy);
    throw invalidCredentials();
  }

  await deps.users.resetFailedLogins(brand._id, user._id);
  const session = await startSession(deps.sessions, user, policy);
  await deps.audit.record({ brandId: brand._id, action: 'auth.login', actor: { kind: 'user', id: user._id }, target: { kind: 'user', id: user._id } });
  return { token: session.token, expiresAt: session.expiresAt.toISOString(), user: toUserView({ ...user, failedLogins: 0 }) };
}

/** Counts a wrong password; the failure that reaches the policy's maximum locks the account. */
export async function countFailure(deps: AccountDependencies, user: UserDocument, policy: AccountPolicy): Promise<void> {
  const failures = await deps.users.addFailedLogin(user.brandId, user._id);
  if (failures < policy.maxFailedLogins) return;
  if (await deps.users.lock(user.brandId, user._id, new Date())) {
    await deps.audit.record({
      brandId: user.brandId, action: 'user.locked', actor: { kind: 'system' }, target: { kind: 'user', id: user._id }, details: { failedLogins: failures },
    });
  }
}
