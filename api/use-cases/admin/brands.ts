import { randomBytes, randomUUID } from 'node:crypto';
import { MongoServerError } from 'mongodb';
import type { BrandDocument, BrandRepository } from '../../../db/repositories/brands.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { sha256 } from '../../middleware/bearer-auth.js';

export interface BrandView {
  id: string;
  name: string;
  status: BrandDocument['status'];
  helpText: string;
  inactivityTimeoutMinutes?: number;
  apiTokens: { id: string; createdAt: string }[];
  createdAt: string;
  updatedAt: string;
}

export const toBrandView = (brand: BrandDocument): BrandView => ({
  id: brand._id,
  name: brand.name,
  status: brand.status,
  helpText: brand.helpText,
  ...(brand.inactivityTimeoutMinutes ? { inactivityTimeoutMinutes: brand.inactivityTimeoutMinutes } : {}),
  apiTokens: brand.apiTokens.map((token) => ({ id: token.id, createdAt: token.createdAt.toISOString() })),
  createdAt: brand.createdAt.toISOString(),
  updatedAt: brand.updatedAt.toISOString(),
});

/** Shown once: only its hash is stored. */
function newApiToken() {
  const token = `sbk_${randomBytes(24).toString('base64url')}`;
  return { token, record: { id: `tok_${randomUUID().slice(0, 8)}`, hash: sha256(token), createdAt: new Date() } };
}

export const defaultHelpText = (name: string) => `${name}: reply to this number to reach our team. Text STOP to opt out.`;

export async function createBrand(
  brands: BrandRepository,
  input: { id: string; name: string; helpText?: string; inactivityTimeoutMinutes?: number },
): Promise<{ brand: BrandView; apiToken: string }> {
  const now = new Date();
  const { token, record } = newApiToken();
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
    await brands.insert(brand);
  } catch (error) {
    if (error instanceof MongoServerError && error.code === 11000) {
      throw new ConflictError({ code: 'brand_exists', message: `A brand with id "${input.id}" already exists` });
    }
    throw error;
  }
  return { brand: toBrandView(brand), apiToken: token };
}

export async function getBrand(brands: BrandRepository, id: string): Promise<BrandDocument> {
  const brand = await brands.get(id);
  if (!brand) throw new NotFoundError({ code: 'brand_not_found', message: `No brand "${id}"` });
  return brand;
}

export async function updateBrand(
  brands: BrandRepository,
  id: string,
  changes: { name?: string; status?: BrandDocument['status']; helpText?: string; inactivityTimeoutMinutes?: number },
): Promise<BrandView> {
  const updated = await brands.update(id, changes);
  if (!updated) throw new NotFoundError({ code: 'brand_not_found', message: `No brand "${id}"` });
  return toBrandView(updated);
}

export async function addBrandApiToken(brands: BrandRepository, id: string): Promise<{ brand: BrandView; apiToken: string }> {
  const { token, record } = newApiToken();
  const updated = await brands.addApiToken(id, record);
  if (!updated) throw new NotFoundError({ code: 'brand_not_found', message: `No brand "${id}"` });
  return { brand: toBrandView(updated), apiToken: token };
}
