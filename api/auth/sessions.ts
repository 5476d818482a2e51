import type { SessionRepository } from '../../db/repositories/sessions.js';
import type { UserDocument } from '../../db/repositories/users.js';
import type { AccountPolicy } from './policy.js';
import { newSessionToken, sessionLifetimeMs } from './tokens.js';

/** A new session for the user; also sweeps the user's sessions nobody can use any more. */
export async function startSession(sessions: SessionRepository, user: UserDocument, policy: AccountPolicy): Promise<{ token: string; expiresAt: Date }> {
  const now = new Date();
  const { token, hash } = newSessionToken();
  const expiresAt = new Date(now.getTime() + sessionLifetimeMs);
  await sessions.deleteStale(user._id, now, new Date(now.getTime() - policy.idleTimeoutMinutes * 60_000));
  await sessions.insert({ _id: hash, userId: user._id, brandId: user.brandId, createdAt: now, lastSeenAt: now, expiresAt });
  return { token, expiresAt };
}
