import { z } from 'zod';
import { requireAdmin } from '../../middleware/bearer-auth.js';
import { errorBodySchema } from '../../openapi/schemas.js';
import type { ApiRoutes } from '../../openapi/routes.js';
import { getBrand } from '../../use-cases/admin/brands.js';
import { platformActor, type AccountDependencies } from '../../use-cases/accounts/dependencies.js';
import { createUserSchema, userViewSchema } from '../../use-cases/accounts/schemas.js';
import { createUser } from '../../use-cases/accounts/users.js';
import { brandIdSchema } from './schemas.js';

/** The platform admin creates a brand's first users (typically its first admin), behind ADMIN_TOKEN. */
export function registerAdminUserRoutes(routes: ApiRoutes, deps: AccountDependencies & { adminToken: string }) {
  routes.add(
    { tags: ['admin'], security: ['adminToken'], before: [requireAdmin(deps.adminToken)],
      method: 'post', path: '/api/v1/admin/brands/:brandId/users', operationId: 'createBrandUser', summary: 'Create a user in a brand (the same body as POST /api/v1/users)',
      params: z.object({ brandId: brandIdSchema }), body: createUserSchema,
      responses: {
        201: { description: 'Created', schema: userViewSchema },
        401: { description: 'Admin token missing or wrong', schema: errorBodySchema },
        404: { description: 'No such brand', schema: errorBodySchema },
        409: { description: 'Email taken in this brand (user_exists)', schema: errorBodySchema },
      } },
    async ({ params, body, res }) => {
      const brand = await getBrand(deps.brands, params.brandId);
      res.status(201).json(await createUser(deps, brand, body, platformActor));
    },
  );
}
