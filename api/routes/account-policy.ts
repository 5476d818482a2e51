import { policyBounds, policyOf } from '../auth/policy.js';
import { authErrors, signedIn } from '../auth/route-auth.js';
import type { ApiRoutes } from '../openapi/routes.js';
import { actorOf, type AccountDependencies } from '../use-cases/accounts/dependencies.js';
import { changePolicy } from '../use-cases/accounts/policy.js';
import { policySchema, updatePolicySchema } from '../use-cases/accounts/schemas.js';

const range = (key: keyof typeof policyBounds) => `${policyBounds[key].min}–${policyBounds[key].max}`;

/** The brand's password, lockout and idle rules, for holders of users.manage. */
export function registerAccountPolicyRoutes(routes: ApiRoutes, deps: AccountDependencies) {
  const base = { tags: ['users'], ...signedIn(routes, deps, 'users.manage') };

  routes.add(
    { ...base, method: 'get', path: '/api/v1/account-policy', operationId: 'getAccountPolicy', summary: 'The account policy (defaults where the brand set nothing)',
      responses: { 200: { description: 'The policy', schema: policySchema }, ...authErrors } },
    ({ req, res }) => {
      res.json(policyOf(req.brand!));
    },
  );
  routes.add(
    { ...base, method: 'patch', path: '/api/v1/account-policy', operationId: 'updateAccountPolicy',
      summary: `Change the account policy within PCI DSS v4.0's floors: passwords of ${range('minPasswordLength')} characters, `
        + `a lock (until an administrator unlocks) after ${range('maxFailedLogins')} failed password checks, idle timeout ${range('idleTimeoutMinutes')} minutes`,
      body: updatePolicySchema,
      responses: { 200: { description: 'The policy now', schema: policySchema }, ...authErrors } },
    async ({ body, req, res }) => {
      res.json(await changePolicy(deps, req.principal!.brandId, body, actorOf(req.principal!)));
    },
  );
}
