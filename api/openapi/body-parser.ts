import { AsyncResource } from 'node:async_hooks';
import express, { type RequestHandler } from 'express';
import { UnsupportedMediaTypeError } from '../errors.js';

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
}

/**
 * Reads a route's body in the one media type the route declares: another type is a 415, an
 * absent body stays absent (the route's schema decides whether that is valid).
 */
export function bodyParser(contentType: string, limitBytes: number): RequestHandler {
  const parse =
    contentType === 'application/x-www-form-urlencoded'
      ? express.urlencoded({ extended: false, limit: limitBytes, parameterLimit: 1_000, type: () => true })
      : express.json({
          limit: limitBytes,
          type: () => true,
          // Signed webhooks (Facebook) are checked over the exact bytes that were sent.
          verify: (req, _res, buf) => {
            (req as { rawBody?: Buffer }).rawBody = buf;
          },
        });
  return (req, res, next) => {
    if (!hasBody(req.headers)) return next();
    if (!req.is(contentType)) {
      return next(new UnsupportedMediaTypeError({ message: `Send the request body as ${contentType}` }));
    }
    // The parser calls back from the socket's stream events: resume in this request's own async context (its audit source).
    parse(req, res, AsyncResource.bind(next));
  };
}
