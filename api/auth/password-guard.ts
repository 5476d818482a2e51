import { randomBytes } from 'node:crypto';
import type { AuditLog } from '../../db/repositories/audit-log.js';
import type { LoginAttempts } from '../../db/repositories/login-attempts.js';
import type { UserDocument, UserRepository } from '../../db/repositories/users.js';
import { burnPasswordCheck, verifyPassword } from './passwords.js';
import type { AccountPolicy } from './policy.js';
import { isDuplicateKey } from '../../db/errors.js';

export interface PasswordGuardDependencies {
  users: UserRepository;
  attempts: LoginAttempts;
  audit: AuditLog;
}

export type PasswordCheck = 'correct' | 'wrong' | 'locked';

export const newLoginEpoch = () => randomBytes(9).toString('base64url');
/** Users created before epochs existed share this one until their first correct password. */
const legacyEpoch = '0';

/**
 * Every check of a user's password (sign-in, password change) goes through here. It first claims
 * one of the policy's `maxFailedLogins` numbered slots of the user's current epoch; only a claimed
 * slot may verify the password, so parallel guesses cannot outrun the lock. The check that fails
 * on the last slot locks the account (until an administrator unlocks it); a correct password
 * starts a new epoch. A locked account is answered in the time a real check takes.
 */
export async function checkUserPassword(
  deps: PasswordGuardDependencies, user: UserDocument, policy: AccountPolicy, password: string, check: 'login' | 'password_change',
): Promise<PasswordCheck> {
  const epoch = user.loginEpoch ?? legacyEpoch;
  const failed = (reason: 'locked' | 'wrong_password') =>
    deps.audit.record({
      brandId: user.brandId, action: 'auth.login_failed', actor: { kind: 'system' }, target: { kind: 'user', id: user._id },
      details: check === 'login' ? { reason } : { reason, check },
    });

  const slot = user.lockedAt ? undefined : await deps.attempts.claim(user._id, epoch, policy.maxFailedLogins);
  if (slot === undefined) {
    await burnPasswordCheck(password);
    // Slots can run out without a lock (a lower maximum, a crash after the claim): lock now, unless a correct password started a new epoch meanwhile.
    const fresh = await deps.users.get(user.brandId, user._id);
    if (fresh && !fresh.lockedAt && (fresh.loginEpoch ?? legacyEpoch) === epoch) await lock(deps, user, epoch, policy.maxFailedLogins);
    await failed('locked');
    return 'locked';
  }
  if (await verifyPassword(user.passwordHash, password)) {
    // A parallel check may have spent the last slot and locked meanwhile: the lock wins.
    const fresh = await deps.users.get(user.brandId, user._id);
    if (!fresh || fresh.lockedAt) {
      await failed('locked');
      return 'locked';
    }
    await deps.users.startLoginEpoch(user.brandId, user._id, newLoginEpoch());
    await deps.attempts.clear(user._id, epoch);
    return 'correct';
  }
  await failed('wrong_password');
  if (slot >= policy.maxFailedLogins) await lock(deps, user, epoch, slot);
  return 'wrong';
}

async function lock(deps: PasswordGuardDependencies, user: UserDocument, epoch: string, failedLogins: number): Promise<void> {
  await deps.users.lock(user.brandId, user._id, new Date());
  try {
    // One entry per epoch, whoever locked first (conditional updates are not atomic on FerretDB; a unique id is).
    await deps.audit.record({
      id: `user.locked:${user._id}:${epoch}`, brandId: user.brandId, action: 'user.locked', actor: { kind: 'system' },
      target: { kind: 'user', id: user._id }, details: { failedLogins },
    });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}
