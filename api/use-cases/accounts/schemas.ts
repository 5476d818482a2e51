import { nonBlankText } from '../../openapi/schemas.js'; // also adds .openapi() to zod
import { z } from 'zod';
import { permissionNames } from '../../auth/principal.js';
import { maxPasswordLength, policyBounds } from '../../auth/policy.js';

const profileName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lowercase letters, digits, _ and -, 1–63 characters');
const profileRef = z
  .string()
  .regex(/^(agent|manager|admin|custom:[a-z0-9][a-z0-9_-]{0,62})$/, '"agent", "manager", "admin" or "custom:<profile name>"')
  .openapi({ example: 'agent' });
const role = z.enum(['agent', 'manager', 'admin']);
const queueId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -');
const skills = z.array(queueId).max(100).describe('Queue ids the user works');
const password = z.string().min(1).max(maxPasswordLength).describe('Checked against the brand\'s account policy');
// The pattern is the one z.email() checks, written into the document (a pipe's check is otherwise left out of it).
const email = z.string().trim().toLowerCase().pipe(z.email().max(254)).openapi({ pattern: `^\\s*${z.regexes.email.source.slice(1, -1)}\\s*$`, maxLength: 254 });

export const userIdParams = z.object({ userId: z.string().min(1).max(100) });
export const profileIdParams = z.object({ profileId: z.string().min(1).max(100) });

export const userViewSchema = z
  .object({
    id: z.string(), brandId: z.string(), email: z.string(), name: z.string(), profile: z.string(),
    status: z.enum(['active', 'disabled']), locked: z.boolean(),
    passwordChangeRequired: z.boolean().describe('An administrator set the password: only GET /me and POST /me/password work until the user chooses their own'), skills: z.array(z.string()), maxConcurrent: z.number(),
    availability: z.enum(['online', 'away', 'offline']), passwordChangedAt: z.string(), createdAt: z.string(), updatedAt: z.string(),
  })
  .openapi('User');

export const createUserSchema = z
  .object({ email, name: nonBlankText(200), profile: profileRef, password, skills: skills.default([]), maxConcurrent: z.number().int().min(1).max(50).default(3) })
  .strict()
  .openapi('CreateUser');

export const updateUserSchema = z
  .object({
    name: nonBlankText(200).optional(), profile: profileRef.optional(), skills: skills.optional(),
    maxConcurrent: z.number().int().min(1).max(50).optional(), status: z.enum(['active', 'disabled']).optional(),
  })
  .strict()
  .openapi('UpdateUser');

export const resetPasswordSchema = z.object({ password }).strict().openapi('ResetPassword');
export const changePasswordSchema = z.object({ currentPassword: z.string().min(1).max(maxPasswordLength), newPassword: password }).strict().openapi('ChangePassword');

export const loginSchema = z
  .object({
    brandId: z.string().min(1).max(63), email: z.string().trim().toLowerCase().max(254), password: z.string().min(1).max(maxPasswordLength),
    session: z.enum(['token', 'cookie']).default('token')
      .describe('"token": the session token comes in the body, for "Authorization: Bearer"; "cookie" (the web console): it is set as the HttpOnly sb_session cookie and never shown'),
  })
  .strict()
  .openapi('Login');
export const sessionSchema = z
  .object({ token: z.string().describe('Send as "Authorization: Bearer <token>"; shown once'), expiresAt: z.string(), user: userViewSchema })
  .openapi('Session');
const csrfToken = z.string().describe('Send as "X-CSRF-Token" on every request of this cookie session that is not GET, HEAD or OPTIONS; keep it in memory only (GET /api/v1/me gives it again)');
export const cookieSessionSchema = z
  .object({ expiresAt: z.string(), user: userViewSchema, csrfToken })
  .openapi('CookieSession', { description: 'A session held in the HttpOnly sb_session cookie set by the same response: its token is never in the body' });
/** A new session as the client asked to hold it: the token in the body, or in the cookie. */
export const newSessionSchema = z.union([sessionSchema, cookieSessionSchema]).openapi('NewSession');

export const meSchema = z
  .object({
    user: userViewSchema, role: role.optional(), permissions: z.array(z.enum(permissionNames)), idleTimeoutMinutes: z.number(),
    csrfToken: csrfToken.optional().describe('Only when the sb_session cookie signed this request in: its X-CSRF-Token, for a page that was reloaded'),
  })
  .openapi('Me');

const permissions = z.array(z.enum(permissionNames)).max(permissionNames.length).refine((names) => new Set(names).size === names.length, 'each permission once').openapi({ uniqueItems: true });
export const profileViewSchema = z
  .object({ id: z.string(), name: z.string(), ref: z.string().describe('What a user\'s "profile" field holds'), role, builtIn: z.boolean(), permissions: z.array(z.string()) })
  .openapi('Profile');
export const createProfileSchema = z.object({ name: profileName, role, permissions }).strict().openapi('CreateProfile');
export const updateProfileSchema = z.object({ role: role.optional(), permissions: permissions.optional() }).strict().openapi('UpdateProfile');

const bounded = (field: keyof typeof policyBounds) => {
  const { min, max } = policyBounds[field];
  return z.number().int().min(min, `${field} must be at least ${min}`).max(max, `${field} must be at most ${max}`);
};
export const policySchema = z
  .object({ minPasswordLength: bounded('minPasswordLength'), maxFailedLogins: bounded('maxFailedLogins'), idleTimeoutMinutes: bounded('idleTimeoutMinutes') })
  .openapi('AccountPolicy');
export const updatePolicySchema = policySchema.partial().strict().openapi('UpdateAccountPolicy');
