import type { AccountPolicy } from '../../../db/repositories/brands.js';
import { policyOf } from '../../auth/policy.js';
import { NotFoundError } from '../../errors.js';
import type { AccountDependencies, Actor } from './dependencies.js';

export async function changePolicy(deps: AccountDependencies, brandId: string, changes: Partial<AccountPolicy>, actor: Actor): Promise<AccountPolicy> {
  const brand = await deps.brands.get(brandId);
  const updated = brand && (await deps.brands.updatePolicy(brandId, changes));
  if (!brand || !updated) throw new NotFoundError({ code: 'brand_not_found', message: `No brand "${brandId}"` });
  const [before, after] = [policyOf(brand), policyOf(updated)];
  const changed = (Object.keys(changes) as (keyof AccountPolicy)[]).filter((key) => before[key] !== after[key]);
  if (changed.length > 0) {
    await deps.audit.record({
      brandId, action: 'policy.changed', actor, target: { kind: 'brand', id: brandId },
      details: Object.fromEntries(changed.map((key) => [key, { from: before[key], to: after[key] }])),
    });
  }
  return after;
}
