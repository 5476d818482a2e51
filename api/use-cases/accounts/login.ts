import { checkUserPassword } from '../../auth/password-guard.js';
import { burnPasswordCheck } from '../../auth/passwords.js';
import { policyOf } from '../../auth/policy.js';
import { startSession } from '../../auth/sessions.js';
import { UnauthorizedError } from '../../errors.js';
import type { AccountDependencies } from './dependencies.js';
import { toUserView } from './views.js';

// One answer for unknown brand, unknown email, wrong password, disabled and locked user, so none can be told apart
// (a locked account never says so to someone who has not signed in; the audit log has the reason).
const invalidCredentials = () => new UnauthorizedError({ code: 'invalid_credentials', message: 'Email or password is wrong' });

export async function login(deps: AccountDependencies, input: { brandId: string; email: string; password: string }) {
  const brand = await deps.brands.get(input.brandId);
  const user = brand?.status === 'active' ? await deps.users.findByEmail(brand._id, input.email) : null;
  if (!brand || !user || user.status !== 'active') {
    await deps.attempts.imitateClaim();
    await burnPasswordCheck(input.password);
    if (brand) {
      await deps.audit.record({
        brandId: brand._id, action: 'auth.login_failed', actor: { kind: 'system' },
        ...(user ? { target: { kind: 'user', id: user._id }, details: { reason: 'disabled' } } : { details: { reason: 'unknown_email' } }),
      });
    }
    throw invalidCredentials();
  }
  const policy = policyOf(brand);
  if ((await checkUserPassword(deps, user, policy, input.password, 'login')) !== 'correct') throw invalidCredentials();

  const session = await startSession(deps.sessions, user, policy);
  await deps.audit.record({ brandId: brand._id, action: 'auth.login', actor: { kind: 'user', id: user._id }, target: { kind: 'user', id: user._id } });
  return { token: session.token, expiresAt: session.expiresAt.toISOString(), user: toUserView(user) };
}
