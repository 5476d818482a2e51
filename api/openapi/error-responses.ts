import type { ZodObject, ZodType } from 'zod';
import type { ResponseSpec, RouteSpec } from './routes.js';
import { errorBodySchema } from './schemas.js';

/**
 * The error responses a route gives by the way it is built, declared here for every route:
 * what it reads can be invalid, too large or of another type; what it depends on can be down.
 * A route's own declarations (a 400 naming its further reasons, a 503 with its own body) win.
 */
export function errorResponsesOf(spec: RouteSpec<ZodObject, ZodObject, ZodType>): Record<number, ResponseSpec> {
  const responses: Record<number, ResponseSpec> = {};
  if (spec.params || spec.query || spec.body) {
    responses[400] = { description: 'The request does not match this operation\'s schema, or its body cannot be read', schema: errorBodySchema };
  }
  if (spec.body) {
    responses[413] = { description: 'The request body is larger than this server accepts (payload_too_large)', schema: errorBodySchema };
    responses[415] = {
      description: `The request body is not ${spec.bodyContentType ?? 'application/json'}, or its charset is not supported (unsupported_media_type)`,
      schema: errorBodySchema,
    };
  }
  responses[500] = { description: 'Unexpected server error (internal_error)', schema: errorBodySchema };
  responses[503] = { description: 'The database or Temporal does not answer: retry shortly (database_unavailable, temporal_unavailable)', schema: errorBodySchema };
  return responses;
}

/**
 * A 400 that also names the reasons a schema-valid request can be refused (a stale cursor, an unknown
 * agent, the brand's password policy): each as its error code, so a client can tell them apart.
 */
export function invalidRequestBecause(reasons: string): Record<400, ResponseSpec> {
  return { 400: { description: `The request does not match this operation's schema, or its body cannot be read; also ${reasons}`, schema: errorBodySchema } };
}
