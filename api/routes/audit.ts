import { authErrors, signedIn } from '../auth/route-auth.js';
import type { ApiRoutes } from '../openapi/routes.js';
import { auditPageSchema, auditQuerySchema } from '../use-cases/accounts/audit-schemas.js';
import type { AccountDependencies } from '../use-cases/accounts/dependencies.js';
import { toAuditEntryView } from '../use-cases/accounts/views.js';

/** The brand's audit log, newest first, for holders of audit.view. */
export function registerAuditRoutes(routes: ApiRoutes, deps: AccountDependencies) {
  routes.add(
    { tags: ['audit'], ...signedIn(routes, deps, 'audit.view'), method: 'get', path: '/api/v1/audit', operationId: 'queryAudit',
      summary: 'Audit entries, newest first; filter by action or target id, page with before', query: auditQuerySchema,
      responses: { 200: { description: 'A page of entries', schema: auditPageSchema }, ...authErrors } },
    async ({ query, req, res }) => {
      const entries = await deps.audit.query(req.principal!.brandId, { ...query, before: query.before ? new Date(query.before) : undefined });
      const last = entries.at(-1);
      res.json({ items: entries.map(toAuditEntryView), ...(last && entries.length === query.limit ? { nextBefore: last.at.toISOString() } : {}) });
    },
  );
}
