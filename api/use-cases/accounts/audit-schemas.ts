import '../../openapi/schemas.js';
import { z } from 'zod';
import type { AuditAction } from '../../../db/repositories/audit-log.js';

export const auditActions = [
  'auth.login', 'auth.login_failed', 'auth.logout', 'user.locked', 'user.unlocked', 'user.created', 'user.updated',
  'user.disabled', 'user.password_changed', 'profile.created', 'profile.permissions_changed', 'policy.changed',
  'conversation.assigned', 'conversation.accepted', 'conversation.transferred', 'conversation.closed', 'conversation.reopened',
  'form.sent', 'form.submitted', 'form.revealed', 'form.reveal_refused', 'privacy.exported', 'privacy.erased',
  'brand.created', 'brand.updated', 'api_token.created', 'api_token.revoked', 'channel.created', 'channel.updated',
  'permission.granted', 'permission.revoked',
] as const satisfies readonly AuditAction[];
// Fails to compile when audit-log.ts gains an action this list lacks.
type Missing = Exclude<AuditAction, (typeof auditActions)[number]>;
export const auditActionsComplete: [Missing] extends [never] ? true : Missing = true;

export const auditQuerySchema = z.object({
  action: z.enum(auditActions).optional(),
  targetId: z.string().min(1).max(200).optional(),
  before: z.iso.datetime({ offset: true }).optional().describe('Only entries strictly older than this (use the previous page\'s nextBefore)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const auditEntrySchema = z
  .object({
    id: z.string(), at: z.string(), action: z.enum(auditActions),
    actor: z.object({ kind: z.enum(['user', 'integration', 'platform', 'system']), id: z.string().optional() }),
    target: z.object({ kind: z.string(), id: z.string() }).optional(),
    details: z.record(z.string(), z.unknown()).optional(),
    source: z
      .object({ ip: z.string().optional().describe('The client address (Express req.ip: the peer, or what TRUST_PROXY trusts)'), requestId: z.string() })
      .optional()
      .describe('The HTTP request the action came from; absent for actions of workflows and schedules'),
  })
  .openapi('AuditEntry');

export const auditPageSchema = z.object({ items: z.array(auditEntrySchema), nextBefore: z.string().optional() });
