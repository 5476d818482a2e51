import type { Db } from 'mongodb';
import { AuditLog, type AuditEntry } from '../../../db/repositories/audit-log.js';
import type { BrandRepository } from '../../../db/repositories/brands.js';
import { LoginAttempts } from '../../../db/repositories/login-attempts.js';
import { RateLimitHits } from '../../../db/repositories/rate-limit-hits.js';
import { ProfileRepository } from '../../../db/repositories/profiles.js';
import { SessionRepository } from '../../../db/repositories/sessions.js';
import { UserRepository, type UserDocument } from '../../../db/repositories/users.js';
import type { AuthenticateDependencies } from '../../auth/authenticate.js';
import type { Principal } from '../../auth/principal.js';

export interface AccountDependencies extends AuthenticateDependencies {
  audit: AuditLog;
  /** Numbered password-check slots: the atomic part of the lockout (api/auth/password-guard.ts). */
  attempts: LoginAttempts;
  /** Sign-in and password-change rate limits, counted in the database so all replicas share them. */
  rateLimitHits: RateLimitHits;
  /** Tells routing that an agent's skills, maximum or status changed (the router must not wait for their next availability change). */
  onAgentChanged?: (user: UserDocument) => Promise<void>;
}

export function createAccountDependencies(
  db: Db,
  brands: BrandRepository,
  options: { onAgentChanged?: (user: UserDocument) => Promise<void> } = {},
): AccountDependencies {
  return {
    brands, users: new UserRepository(db), sessions: new SessionRepository(db), profiles: new ProfileRepository(db), audit: new AuditLog(db),
    attempts: new LoginAttempts(db), rateLimitHits: new RateLimitHits(db),
    ...(options.onAgentChanged ? { onAgentChanged: options.onAgentChanged } : {}),
  };
}

export type Actor = AuditEntry['actor'];
export const platformActor: Actor = { kind: 'platform' };

export function actorOf(principal: Principal): Actor {
  return principal.kind === 'user' ? { kind: 'user', id: principal.userId } : { kind: 'integration', ...(principal.tokenId ? { id: principal.tokenId } : {}) };
}
