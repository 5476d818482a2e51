import { z } from 'zod';
import { requireAdmin } from '../../middleware/bearer-auth.js';
import { errorBodySchema, nonBlankText } from '../../openapi/schemas.js';
import type { ApiRoutes } from '../../openapi/routes.js';
import { getBrand } from '../../use-cases/admin/brands.js';
import type { BrandRepository } from '../../../db/repositories/brands.js';
import { eraseConsumer, exportConsumer, type PrivacyDependencies } from '../../use-cases/privacy/consumer-data.js';
import { brandIdSchema } from './schemas.js';

const consumerSchema = z
  .object({ channel: z.enum(['sms', 'messenger']), address: nonBlankText(64).describe('The E.164 number or Messenger PSID the consumer wrote from') })
  .strict()
  .openapi('ConsumerRef');
const params = z.object({ brandId: brandIdSchema });
const errors = { 401: { description: 'Admin token missing or wrong', schema: errorBodySchema }, 404: { description: 'No such brand', schema: errorBodySchema } };

/** Data-subject requests for one consumer of one brand (audited without the data). */
export function registerPrivacyRoutes(routes: ApiRoutes, deps: PrivacyDependencies & { brands: BrandRepository; adminToken: string }) {
  const base = { tags: ['admin', 'privacy'], security: ['adminToken'], before: [requireAdmin(deps.adminToken)] };
  routes.add(
    { ...base, method: 'post', path: '/api/v1/admin/brands/:brandId/privacy/export', operationId: 'exportConsumerData',
      summary: 'Everything held about one consumer as one JSON document (form metadata, never values)', params, body: consumerSchema,
      responses: { 200: { description: 'The export', schema: z.object({ consumer: z.object({ channel: z.string(), id: z.string() }) }).passthrough() }, ...errors } },
    async ({ params: { brandId }, body, res }) => {
      await getBrand(deps.brands, brandId);
      res.set('Cache-Control', 'no-store').json(await exportConsumer(deps, { brandId, ...body }));
    },
  );
  routes.add(
    { ...base, method: 'post', path: '/api/v1/admin/brands/:brandId/privacy/erasure', operationId: 'eraseConsumerData',
      summary: 'Erase one consumer: transcripts, forms (vault crypto-shredded), opt-out history, workflow executions', params, body: consumerSchema,
      responses: { 200: { description: 'What was erased (counts)', schema: z.object({ conversations: z.number(), messages: z.number(), secureForms: z.number(), workflowExecutions: z.number() }) }, ...errors,
        503: { description: 'The database or Temporal does not answer (database_unavailable, temporal_unavailable), or an API replica holding off-the-record answers of the consumer cannot be asked (off_record_unreachable; nothing was erased): repeat shortly', schema: errorBodySchema } } },
    async ({ params: { brandId }, body, res }) => {
      await getBrand(deps.brands, brandId);
      res.json(await eraseConsumer(deps, { brandId, ...body }));
    },
  );
}
