import { z } from 'zod';
import { errorBodySchema } from '../../openapi/schemas.js';
import type { ApiRoutes } from '../../openapi/routes.js';
import { invalidRequestBecause } from '../../openapi/error-responses.js';
import { requireAdmin } from '../../middleware/bearer-auth.js';
import { addBrandApiToken, listApiTokens, revokeBrandApiToken } from '../../use-cases/admin/api-tokens.js';
import { createBrand, getBrand, toBrandView, updateBrand } from '../../use-cases/admin/brands.js';
import { createChannel, ownedChannel, updateChannel, toChannelView, type AdminDependencies } from '../../use-cases/admin/channels.js';
import {
  apiTokenViewSchema, brandIdSchema, brandViewSchema, channelViewSchema, createApiTokenSchema, createBrandSchema, createChannelSchema, updateBrandSchema, updateChannelSchema,
} from './schemas.js';

const brandParams = z.object({ brandId: brandIdSchema });
const channelParams = z.object({ brandId: brandIdSchema, channelId: z.string().min(1).max(100) });
const tokenParams = z.object({ brandId: brandIdSchema, tokenId: z.string().min(1).max(100) });
const withToken = z.object({ brand: brandViewSchema, apiToken: z.string().describe('Shown once; only its hash is stored') });
const errors = {
  401: { description: 'Admin token missing or wrong', schema: errorBodySchema },
  404: { description: 'No such brand or channel', schema: errorBodySchema },
};

/** /api/v1/admin: brands, their API tokens and channels, behind ADMIN_TOKEN; every change is audited in the brand's log. */
export function registerAdminRoutes(routes: ApiRoutes, deps: AdminDependencies & { adminToken: string }) {
  const base = { tags: ['admin'], security: ['adminToken'], before: [requireAdmin(deps.adminToken)] };

  routes.add(
    { ...base, method: 'post', path: '/api/v1/admin/brands', operationId: 'createBrand', summary: 'Create a brand (returns its first agent API token once)', body: createBrandSchema,
      responses: { 201: { description: 'Created', schema: withToken }, 409: { description: 'Id taken', schema: errorBodySchema }, ...errors } },
    async ({ body, res }) => {
      res.status(201).json(await createBrand(deps, body));
    },
  );
  routes.add(
    { ...base, method: 'get', path: '/api/v1/admin/brands', operationId: 'listBrands', summary: 'List brands', responses: { 200: { description: 'Brands', schema: z.object({ items: z.array(brandViewSchema) }) }, ...errors } },
    async ({ res }) => {
      res.json({ items: (await deps.brands.list()).map(toBrandView) });
    },
  );
  routes.add(
    { ...base, method: 'get', path: '/api/v1/admin/brands/:brandId', operationId: 'getBrand', summary: 'One brand', params: brandParams, responses: { 200: { description: 'The brand', schema: brandViewSchema }, ...errors } },
    async ({ params, res }) => {
      res.json(toBrandView(await getBrand(deps.brands, params.brandId)));
    },
  );
  routes.add(
    { ...base, method: 'patch', path: '/api/v1/admin/brands/:brandId', operationId: 'updateBrand', summary: 'Rename, change help text or timeout, disable or enable a brand', params: brandParams, body: updateBrandSchema,
      responses: { 200: { description: 'Updated', schema: brandViewSchema }, ...errors } },
    async ({ params, body, res }) => {
      const updated = await updateBrand(deps, params.brandId, body);
      deps.directory.invalidate();
      res.json(updated);
    },
  );
  routes.add(
    { ...base, method: 'post', path: '/api/v1/admin/brands/:brandId/api-tokens', operationId: 'createBrandApiToken',
      summary: 'Issue another agent API token for a brand (shown once), optionally expiring after expiresInDays', params: brandParams, body: createApiTokenSchema,
      responses: { 201: { description: 'Issued', schema: withToken }, ...errors } },
    async ({ params, body, res }) => {
      res.status(201).json(await addBrandApiToken(deps, params.brandId, body));
    },
  );
  routes.add(
    { ...base, method: 'get', path: '/api/v1/admin/brands/:brandId/api-tokens', operationId: 'listBrandApiTokens',
      summary: 'The brand\'s API tokens not revoked (ids and dates, never the tokens)', params: brandParams,
      responses: { 200: { description: 'Tokens', schema: z.object({ items: z.array(apiTokenViewSchema) }) }, ...errors } },
    async ({ params, res }) => {
      res.json({ items: await listApiTokens(deps, params.brandId) });
    },
  );
  routes.add(
    { ...base, method: 'delete', path: '/api/v1/admin/brands/:brandId/api-tokens/:tokenId', operationId: 'revokeBrandApiToken',
      summary: 'Revoke an API token: from the next request it answers 401 like an unknown token', params: tokenParams,
      responses: { 204: { description: 'Revoked' }, ...errors, 404: { description: 'No such brand (brand_not_found), or the brand has no such token not yet revoked (api_token_not_found)', schema: errorBodySchema } } },
    async ({ params, res }) => {
      await revokeBrandApiToken(deps, params.brandId, params.tokenId);
      res.status(204).end();
    },
  );
  routes.add(
    { ...base, method: 'post', path: '/api/v1/admin/brands/:brandId/channels', operationId: 'createChannel', summary: 'Connect Twilio numbers or a Facebook page (secrets are stored encrypted, never returned)',
      params: brandParams, body: createChannelSchema,
      responses: { 201: { description: 'Connected', schema: channelViewSchema }, 409: { description: 'A number or page already belongs to a channel', schema: errorBodySchema }, ...errors,
        ...invalidRequestBecause('a phone number listed twice (validation_failed, "each number once")') } },
    async ({ params, body, res }) => {
      res.status(201).json(await createChannel(deps, params.brandId, body));
    },
  );
  routes.add(
    { ...base, method: 'get', path: '/api/v1/admin/brands/:brandId/channels', operationId: 'listChannels', summary: 'A brand\'s channels', params: brandParams,
      responses: { 200: { description: 'Channels', schema: z.object({ items: z.array(channelViewSchema) }) }, ...errors } },
    async ({ params, res }) => {
      await getBrand(deps.brands, params.brandId);
      const channels = await deps.channels.listForBrand(params.brandId);
      res.json({ items: await Promise.all(channels.map(async (channel) => toChannelView(channel, await deps.channels.entryPointsOf(channel._id)))) });
    },
  );
  routes.add(
    { ...base, method: 'get', path: '/api/v1/admin/brands/:brandId/channels/:channelId', operationId: 'getChannel', summary: 'One channel', params: channelParams,
      responses: { 200: { description: 'The channel', schema: channelViewSchema }, ...errors } },
    async ({ params, res }) => {
      const channel = await ownedChannel(deps, params.brandId, params.channelId);
      res.json(toChannelView(channel, await deps.channels.entryPointsOf(channel._id)));
    },
  );
  routes.add(
    { ...base, method: 'patch', path: '/api/v1/admin/brands/:brandId/channels/:channelId', operationId: 'updateChannel', summary: 'Replace secrets, numbers or queue; disable or enable a channel',
      params: channelParams, body: updateChannelSchema,
      responses: { 200: { description: 'Updated', schema: channelViewSchema }, 409: { description: 'A number already belongs to another channel', schema: errorBodySchema }, ...errors,
        ...invalidRequestBecause('a phone number listed twice, or a setting of the other kind of channel (validation_failed)') } },
    async ({ params, body, res }) => {
      res.json(await updateChannel(deps, params.brandId, params.channelId, body));
    },
  );
}
