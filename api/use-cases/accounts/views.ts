import type { AuditEntry } from '../../../db/repositories/audit-log.js';
import type { ProfileDocument } from '../../../db/repositories/profiles.js';
import type { UserDocument } from '../../../db/repositories/users.js';
import { builtInProfiles, type Role } from '../../auth/principal.js';

/** What any API answer shows of a user: no password hash, no failure count, only whether it is locked. */
export const toUserView = (user: UserDocument) => ({
  id: user._id,
  brandId: user.brandId,
  email: user.email,
  name: user.name,
  profile: user.profile,
  status: user.status,
  locked: user.lockedAt !== undefined && user.lockedAt !== null,
  passwordChangeRequired: user.mustChangePassword === true,
  skills: user.skills,
  maxConcurrent: user.maxConcurrent,
  availability: user.availability,
  passwordChangedAt: user.passwordChangedAt.toISOString(),
  createdAt: user.createdAt.toISOString(),
  updatedAt: user.updatedAt.toISOString(),
});

export const toProfileView = (profile: ProfileDocument) => ({
  id: profile._id, name: profile.name, ref: `custom:${profile.name}`, role: profile.role, builtIn: false, permissions: profile.permissions,
});

export const builtInProfileViews = () =>
  (Object.keys(builtInProfiles) as Role[]).map((role) => ({ id: role, name: role, ref: role, role, builtIn: true, permissions: [...builtInProfiles[role]] }));

export const toAuditEntryView = (entry: AuditEntry) => ({
  id: entry._id,
  at: entry.at.toISOString(),
  action: entry.action,
  actor: entry.actor,
  ...(entry.target ? { target: entry.target } : {}),
  ...(entry.details ? { details: entry.details } : {}),
  ...(entry.source ? { source: entry.source } : {}),
});
