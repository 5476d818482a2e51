import type { RequestHandler } from 'express';
import { ForbiddenError, UnauthorizedError } from '../errors.js';

/** Every permission Switchboard checks, by name. Profiles grant subsets of these. */
export const permissionNames = [
  'conversation.view',
  'conversation.viewAll',
  'conversation.accept',
  'conversation.reply',
  'conversation.transfer',
  'conversation.close',
  'conversation.reopen',
  'secureForm.use',
  'secureForm.viewInHistory',
  'reports.view',
  'audit.view',
  'users.manage',
  'queues.manage',
] as const;

export type Permission = (typeof permissionNames)[number];

/** Granted per user by the platform admin API only: no profile carries them, no brand principal can grant them. */
export const platformOnlyPermissions: readonly Permission[] = ['secureForm.viewInHistory'];
export type Role = 'agent' | 'manager' | 'admin';

/** Built-in profiles: what each role may do unless the brand defines a custom profile. */
export const builtInProfiles: Record<Role, readonly Permission[]> = {
  agent: ['conversation.view', 'conversation.accept', 'conversation.reply', 'conversation.transfer', 'conversation.close', 'conversation.reopen', 'secureForm.use'],
  manager: [
    'conversation.view', 'conversation.viewAll', 'conversation.accept', 'conversation.reply', 'conversation.transfer', 'conversation.close',
    'conversation.reopen', 'reports.view', 'audit.view',
  ],
  admin: permissionNames.filter((name) => !platformOnlyPermissions.includes(name)),
};

/** Who is calling: a signed-in user, or a brand's integration (API token). */
export interface Principal {
  kind: 'user' | 'integration';
  brandId: string;
  /** Users only. */
  userId?: string;
  /** Integrations only: the id of the brand API token that authenticated. */
  tokenId?: string;
  role?: Role;
  permissions: ReadonlySet<Permission>;
  /** Queue ids the principal works; integrations see every queue. */
  skills: readonly string[] | 'all';
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

export function can(principal: Principal | undefined, permission: Permission): boolean {
  return principal?.permissions.has(permission) ?? false;
}

/** The one place routes check permissions. Runs after authentication. */
export function requirePermission(permission: Permission): RequestHandler {
  return (req, _res, next) => {
    if (!req.principal) return next(new UnauthorizedError({ message: 'Sign in first' }));
    if (!can(req.principal, permission)) {
      return next(new ForbiddenError({ code: 'permission_denied', message: `This needs the "${permission}" permission` }));
    }
    next();
  };
}
