import { newApiToken } from '../../auth/tokens.js';
import { NotFoundError } from '../../errors.js';
import { platformActor } from '../accounts/dependencies.js';
import { getBrand, toApiTokenView, toBrandView, type BrandAdminDependencies, type BrandView } from './brands.js';

/** Ids and dates of the brand's tokens that still authenticate or have merely expired; never a token or its hash. */
export async function listApiTokens(deps: BrandAdminDependencies, brandId: string) {
  const brand = await getBrand(deps.brands, brandId);
  const revoked = await deps.brands.revokedAmong(brandId, brand.apiTokens.map((token) => token.id));
  return brand.apiTokens.filter((token) => !revoked.has(token.id)).map(toApiTokenView);
}

export async function addBrandApiToken(deps: BrandAdminDependencies, brandId: string, input: { expiresInDays?: number }): Promise<{ brand: BrandView; apiToken: string }> {
  const { token, record } = newApiToken(input.expiresInDays);
  const updated = await deps.brands.addApiToken(brandId, record);
  if (!updated) throw new NotFoundError({ code: 'brand_not_found', message: `No brand "${brandId}"` });
  await deps.audit.record({
    brandId, action: 'api_token.created', actor: platformActor, target: { kind: 'api_token', id: record.id },
    details: record.expiresAt ? { expiresAt: record.expiresAt.toISOString() } : {},
  });
  return { brand: toBrandView(updated), apiToken: token };
}

/** From the next request on, the token answers 401 like an unknown one. */
export async function revokeBrandApiToken(deps: BrandAdminDependencies, brandId: string, tokenId: string): Promise<void> {
  const brand = await getBrand(deps.brands, brandId);
  const known = brand.apiTokens.some((token) => token.id === tokenId);
  if (!known || !(await deps.brands.revokeApiToken(brandId, tokenId))) {
    throw new NotFoundError({ code: 'api_token_not_found', message: `Brand "${brandId}" has no API token "${tokenId}" (or it is revoked already)` });
  }
  await deps.audit.record({ brandId, action: 'api_token.revoked', actor: platformActor, target: { kind: 'api_token', id: tokenId } });
}
