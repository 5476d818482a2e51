import { z } from 'zod';
import { authErrors, signedIn } from '../auth/route-auth.js';
import { errorBodySchema } from '../openapi/schemas.js';
import type { ApiRoutes } from '../openapi/routes.js';
import { invalidRequestBecause } from '../openapi/error-responses.js';
import { actorOf, type AccountDependencies } from '../use-cases/accounts/dependencies.js';
import { assertMayManageUser } from '../use-cases/accounts/grants.js';
import { createUserSchema, resetPasswordSchema, updateUserSchema, userIdParams, userViewSchema } from '../use-cases/accounts/schemas.js';
import { createUser, loadUser, setPassword, unlockUser, updateUser } from '../use-cases/accounts/users.js';
import { toUserView } from '../use-cases/accounts/views.js';

const errors = { ...authErrors, 404: { description: 'No such user in this brand', schema: errorBodySchema } };
const profileUnknown = 'a custom profile this brand does not have (unknown_profile)';
const passwordRefused = 'a password shorter than the brand\'s account policy allows (password_too_short)';
const grantErrors = {
  403: {
    description: 'permission_denied (the route\'s permission; queues.manage to set skills), permission_not_grantable (the profile grants something you lack), '
      + 'user_outranks_you (the user holds something you lack), own_profile (nobody changes their own profile), csrf_failed (cookie session without its X-CSRF-Token)',
    schema: errorBodySchema,
  },
};

/** A brand's users, for holders of users.manage. */
export function registerUserRoutes(routes: ApiRoutes, deps: AccountDependencies) {
  const base = { tags: ['users'], ...signedIn(routes, deps, 'users.manage') };

  routes.add(
    { ...base, method: 'post', path: '/api/v1/users', operationId: 'createUser', summary: 'Create a user with an initial password that meets the account policy', body: createUserSchema,
      responses: { 201: { description: 'Created', schema: userViewSchema }, 409: { description: 'Email taken in this brand (user_exists)', schema: errorBodySchema }, ...authErrors, ...grantErrors,
        ...invalidRequestBecause(`${profileUnknown}; ${passwordRefused}`) } },
    async ({ body, req, res }) => {
      res.status(201).json(await createUser(deps, req.brand!, body, req.principal!));
    },
  );
  routes.add(
    { ...base, method: 'get', path: '/api/v1/users', operationId: 'listUsers', summary: 'The brand\'s users, by email',
      responses: { 200: { description: 'Users', schema: z.object({ items: z.array(userViewSchema) }) }, ...authErrors } },
    async ({ req, res }) => {
      res.json({ items: (await deps.users.list(req.principal!.brandId)).map(toUserView) });
    },
  );
  routes.add(
    { ...base, method: 'get', path: '/api/v1/users/:userId', operationId: 'getUser', summary: 'One user', params: userIdParams,
      responses: { 200: { description: 'The user', schema: userViewSchema }, ...errors } },
    async ({ params, req, res }) => {
      res.json(toUserView(await loadUser(deps, req.principal!.brandId, params.userId)));
    },
  );
  routes.add(
    { ...base, method: 'patch', path: '/api/v1/users/:userId', operationId: 'updateUser', summary: 'Change name, profile, skills, capacity or status (disabling ends every session)',
      params: userIdParams, body: updateUserSchema, responses: { 200: { description: 'Updated', schema: userViewSchema }, ...errors, ...grantErrors, ...invalidRequestBecause(profileUnknown) } },
    async ({ params, body, req, res }) => {
      res.json(await updateUser(deps, req.principal!.brandId, params.userId, body, req.principal!));
    },
  );
  routes.add(
    { ...base, method: 'post', path: '/api/v1/users/:userId/unlock', operationId: 'unlockUser', summary: 'Unlock a user locked after failed sign-ins', params: userIdParams,
      responses: { 200: { description: 'Unlocked', schema: userViewSchema }, ...errors, ...grantErrors } },
    async ({ params, req, res }) => {
      await assertMayManageUser(deps, req.principal!, req.principal!.brandId, params.userId);
      res.json(await unlockUser(deps, req.principal!.brandId, params.userId, actorOf(req.principal!)));
    },
  );
  routes.add(
    { ...base, method: 'post', path: '/api/v1/users/:userId/password', operationId: 'resetUserPassword', summary: 'Set a user\'s password (ends every session of that user)',
      params: userIdParams, body: resetPasswordSchema, responses: { 200: { description: 'Password set', schema: userViewSchema }, ...errors, ...grantErrors, ...invalidRequestBecause(passwordRefused) } },
    async ({ params, body, req, res }) => {
      await assertMayManageUser(deps, req.principal!, req.principal!.brandId, params.userId);
      res.json(toUserView(await setPassword(deps, req.brand!, params.userId, body.password, actorOf(req.principal!))));
    },
  );
}
