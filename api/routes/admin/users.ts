import { z } from 'zod';
import { platformOnlyPermissions } from '../../auth/principal.js';
import { requireAdmin } from '../../middleware/bearer-auth.js';
import { errorBodySchema } from '../../openapi/schemas.js';
import type { ApiRoutes } from '../../openapi/routes.js';
import { invalidRequestBecause } from '../../openapi/error-responses.js';
import { getBrand } from '../../use-cases/admin/brands.js';
import { grantPlatformPermission, revokePlatformPermission } from '../../use-cases/admin/platform-grants.js';
import type { AccountDependencies } from '../../use-cases/accounts/dependencies.js';
import { createUserSchema, userViewSchema } from '../../use-cases/accounts/schemas.js';
import { createUser } from '../../use-cases/accounts/users.js';
import { brandIdSchema } from './schemas.js';

const unauthorized = { 401: { description: 'Admin token missing or wrong', schema: errorBodySchema } };
const grantParams = z.object({
  brandId: brandIdSchema, userId: z.string().min(1).max(100),
  permission: z.enum(platformOnlyPermissions as [string, ...string[]]).describe('A permission only the platform admin grants'),
});
const grantSchema = z.object({ userId: z.string(), permission: z.string(), granted: z.boolean() }).openapi('PlatformGrant');

/**
 * The platform admin creates a brand's first users (typically its first admin), and alone grants the
 * platform-only permissions (secureForm.viewInHistory) to a user; behind ADMIN_TOKEN.
 */
export function registerAdminUserRoutes(routes: ApiRoutes, deps: AccountDependencies & { adminToken: string }) {
  const base = { tags: ['admin'], security: ['adminToken'], before: [requireAdmin(deps.adminToken)] };
  routes.add(
    { ...base, method: 'post', path: '/api/v1/admin/brands/:brandId/users', operationId: 'createBrandUser', summary: 'Create a user in a brand (the same body as POST /api/v1/users)',
      params: z.object({ brandId: brandIdSchema }), body: createUserSchema,
      responses: {
        201: { description: 'Created', schema: userViewSchema },
        ...unauthorized,
        404: { description: 'No such brand', schema: errorBodySchema },
        409: { description: 'Email taken in this brand (user_exists)', schema: errorBodySchema },
        ...invalidRequestBecause('a custom profile the brand does not have (unknown_profile); a password shorter than the brand\'s account policy allows (password_too_short)'),
      } },
    async ({ params, body, res }) => {
      const brand = await getBrand(deps.brands, params.brandId);
      res.status(201).json(await createUser(deps, brand, body, 'platform'));
    },
  );
  const grantResponses = (done: string) => ({
    200: { description: done, schema: grantSchema }, ...unauthorized, 404: { description: 'No such brand (brand_not_found) or user (user_not_found)', schema: errorBodySchema },
  });
  routes.add(
    { ...base, method: 'put', path: '/api/v1/admin/brands/:brandId/users/:userId/permissions/:permission', operationId: 'grantPlatformPermission',
      summary: 'Grant a platform-only permission to one user (idempotent, audited)', params: grantParams, responses: grantResponses('Granted (from the user\'s next request)') },
    async ({ params, res }) => {
      res.json(await grantPlatformPermission(deps, params.brandId, params.userId, params.permission as (typeof platformOnlyPermissions)[number]));
    },
  );
  routes.add(
    { ...base, method: 'delete', path: '/api/v1/admin/brands/:brandId/users/:userId/permissions/:permission', operationId: 'revokePlatformPermission',
      summary: 'Revoke a platform-only permission from one user (idempotent, audited)', params: grantParams, responses: grantResponses('Revoked (from the user\'s next request)') },
    async ({ params, res }) => {
      res.json(await revokePlatformPermission(deps, params.brandId, params.userId, params.permission as (typeof platformOnlyPermissions)[number]));
    },
  );
}
