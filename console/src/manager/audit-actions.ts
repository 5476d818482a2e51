/** The actions GET /api/v1/audit filters by (the enum of its `action` query in /openapi.json). */
export const auditActions = [
  'auth.login', 'auth.login_failed', 'auth.logout', 'user.locked', 'user.unlocked', 'user.created', 'user.updated',
  'user.disabled', 'user.password_changed', 'profile.created', 'profile.permissions_changed', 'policy.changed',
  'conversation.assigned', 'conversation.accepted', 'conversation.transferred', 'conversation.closed', 'conversation.reopened',
  'form.sent', 'form.submitted', 'form.revealed', 'form.reveal_refused', 'privacy.exported', 'privacy.erased',
  'brand.created', 'brand.updated', 'api_token.created', 'api_token.revoked', 'channel.created', 'channel.updated',
  'permission.granted', 'permission.revoked',
] as const;

export interface AuditFilter {
  action: string;
  targetId: string;
}
