import type { RequestHandler } from 'express';
import { runInRequestContext } from '../../observability/request-context.js';

/**
 * Runs the rest of the request inside its RequestContext, so the audit log can name the source
 * without every use case passing `req` along. The body parser (api/openapi/body-parser.ts) resumes
 * in this context after reading from the socket.
 */
export function requestContext(): RequestHandler {
  return (req, _res, next) => runInRequestContext({ requestId: req.id, ...(req.ip ? { sourceIp: req.ip } : {}) }, () => next());
}
