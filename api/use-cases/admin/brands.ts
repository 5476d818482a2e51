import type { AuditLog } from '../../../db/repositories/audit-log.js';
import type { BrandDocument, BrandRepository } from '../../../db/repositories/brands.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { platformActor } from '../accounts/dependencies.js';
import type { ApiTokenRecord } from '../../../db/repositories/brands.js';
import { newApiToken } from '../../auth/tokens.js';
import { isDuplicateKey } from '../../../db/errors.js';

/** The platform admin's brand use cases: each change is audited in the brand's log, as the platform, with its source. */
export interface BrandAdminDependencies {
  brands: BrandRepository;
  audit: AuditLog;
}

export interface BrandView {
  id: string;
  name: string;
  status: BrandDocument['status'];
  helpText: string;
  inactivityTimeoutMinutes?: number;
  apiTokens: { id: string; createdAt: string; expiresAt?: string }[];
  createdAt: string;
  updatedAt: string;
}

export const toApiTokenView = (token: ApiTokenRecord) => ({
  id: token.id, createdAt: token.createdAt.toISOString(), ...(token.expiresAt ? { expiresAt: token.expiresAt.toISOString() } : {}),
});

export const toBrandView = (brand: BrandDocument): BrandView => ({
  id: brand._id,
  name: brand.name,
  status: brand.status,
  helpText: brand.helpText,
  ...(brand.inactivityTimeoutMinutes ? { inactivityTimeoutMinutes: brand.inactivityTimeoutMinutes } : {}),
  apiTokens: brand.apiTokens.map(toApiTokenView),
  createdAt: brand.createdAt.toISOString(),
  updatedAt: brand.updatedAt.toISOString(),
});

export const defaultHelpText = (name: string) => `${name}: reply to this number to reach our team. Text STOP to opt out.`;

export async function createBrand(
  deps: BrandAdminDependencies,
  input: { id: string; name: string; helpText?: string; inactivityTimeoutMinutes?: number; apiTokenExpiresInDays?: number },
): Promise<{ brand: BrandView; apiToken: string }> {
  const now = new Date();
  const { token, record } = newApiToken(input.apiTokenExpiresInDays);
  const brand: BrandDocument = {
    _id: input.id,
    name: input.name,
    status: 'active',
    helpText: input.helpText ?? defaultHelpText(input.name),
    ...(input.inactivityTimeoutMinutes ? { inactivityTimeoutMinutes: input.inactivityTimeoutMinutes } : {}),
    apiTokens: [record],
    createdAt: now,
    updatedAt: now,
  };
  try {
    await deps.brands.insert(brand);
  } catch (error) {
    if (isDuplicateKey(error)) {
      throw new ConflictError({ code: 'brand_exists', message: `A brand with id "${input.id}" already exists` });
    }
    throw error;
  }
  const target = { kind: 'brand', id: brand._id };
  await deps.audit.record({ brandId: brand._id, action: 'brand.created', actor: platformActor, target, details: { name: brand.name } });
  await deps.audit.record({
    brandId: brand._id, action: 'api_token.created', actor: platformActor, target: { kind: 'api_token', id: record.id },
    details: record.expiresAt ? { expiresAt: record.expiresAt.toISOString() } : {},
  });
  return { brand: toBrandView(brand), apiToken: token };
}

export async function getBrand(brands: BrandRepository, id: string): Promise<BrandDocument> {
  const brand = await brands.get(id);
  if (!brand) throw new NotFoundError({ code: 'brand_not_found', message: `No brand "${id}"` });
  return brand;
}

export async function updateBrand(
  deps: BrandAdminDependencies,
  id: string,
  changes: { name?: string; status?: BrandDocument['status']; helpText?: string; inactivityTimeoutMinutes?: number },
): Promise<BrandView> {
  const before = await getBrand(deps.brands, id);
  const updated = await deps.brands.update(id, changes);
  if (!updated) throw new NotFoundError({ code: 'brand_not_found', message: `No brand "${id}"` });
  const changed = (Object.keys(changes) as (keyof typeof changes)[]).filter((key) => before[key] !== updated[key]);
  if (changed.length > 0) {
    await deps.audit.record({
      brandId: id, action: 'brand.updated', actor: platformActor, target: { kind: 'brand', id },
      details: Object.fromEntries(changed.map((key) => [key, { from: before[key] ?? null, to: updated[key] ?? null }])),
    });
  }
  return toBrandView(updated);
}
