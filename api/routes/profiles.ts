import { z } from 'zod';
import { authErrors, signedIn } from '../auth/route-auth.js';
import { errorBodySchema } from '../openapi/schemas.js';
import type { ApiRoutes } from '../openapi/routes.js';
import type { AccountDependencies } from '../use-cases/accounts/dependencies.js';
import { createProfile, listProfiles, updateProfile } from '../use-cases/accounts/profiles.js';
import { createProfileSchema, profileIdParams, profileViewSchema, updateProfileSchema } from '../use-cases/accounts/schemas.js';

/** Built-in and custom profiles (what each grants), for holders of users.manage. */
export function registerProfileRoutes(routes: ApiRoutes, deps: AccountDependencies) {
  const base = { tags: ['users'], ...signedIn(routes, deps, 'users.manage') };
  const notGrantable = {
    403: { description: 'permission_denied, or permission_not_grantable: the profile would grant something you lack (secureForm.viewInHistory: platform admin API only); csrf_failed (cookie session without its X-CSRF-Token)', schema: errorBodySchema },
  };

  routes.add(
    { ...base, method: 'get', path: '/api/v1/profiles', operationId: 'listProfiles', summary: 'Built-in profiles, then the brand\'s custom ones',
      responses: { 200: { description: 'Profiles', schema: z.object({ items: z.array(profileViewSchema) }) }, ...authErrors } },
    async ({ req, res }) => {
      res.json({ items: await listProfiles(deps, req.principal!.brandId) });
    },
  );
  routes.add(
    { ...base, method: 'post', path: '/api/v1/profiles', operationId: 'createProfile', summary: 'Create a custom profile: a role and the permissions it grants', body: createProfileSchema,
      responses: { 201: { description: 'Created', schema: profileViewSchema }, 409: { description: 'Name taken in this brand (profile_exists)', schema: errorBodySchema }, ...authErrors, ...notGrantable } },
    async ({ body, req, res }) => {
      res.status(201).json(await createProfile(deps, req.principal!.brandId, body, req.principal!));
    },
  );
  routes.add(
    { ...base, method: 'patch', path: '/api/v1/profiles/:profileId', operationId: 'updateProfile', summary: 'Change a custom profile\'s role or permissions (applies to its users\' next request)',
      params: profileIdParams, body: updateProfileSchema,
      responses: {
        200: { description: 'Updated', schema: profileViewSchema },
        404: { description: 'No such custom profile in this brand', schema: errorBodySchema },
        409: { description: 'Built-in profiles do not change (profile_built_in)', schema: errorBodySchema },
        ...authErrors,
        ...notGrantable,
      } },
    async ({ params, body, req, res }) => {
      res.json(await updateProfile(deps, req.principal!.brandId, params.profileId, body, req.principal!));
    },
  );
}
