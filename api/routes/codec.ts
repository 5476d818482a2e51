import { sameSecret } from '../../crypto/secrets.js';
import { bearerToken } from '../auth/tokens.js';
import cors from 'cors';
import type { RequestHandler } from 'express';
import type { PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { UnauthorizedError, ValidationError } from '../errors.js';
import type { ApiRoutes } from '../openapi/routes.js';
import { invalidRequestBecause } from '../openapi/error-responses.js';

/** Temporal's remote codec protocol: proto3 JSON Payloads, bytes as base64. */
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const payloadSchema = z.object({ metadata: z.record(z.string(), base64).default({}), data: base64.default('') });
const payloadsSchema = z.object({ payloads: z.array(payloadSchema).max(10_000) }).openapi('Payloads');

/** Accepts `Authorization: Bearer <token>` (CLI: --codec-auth) or the token as a path segment (Temporal UI). */
function requireOperatorToken(operatorToken: string): RequestHandler {
  return (req, _res, next) => {
    const fromPath = req.params.operatorToken;
    const presented = (typeof fromPath === 'string' ? fromPath : undefined) ?? bearerToken(req.header('authorization'));
    if (!presented || !sameSecret(presented, operatorToken)) {
      return next(new UnauthorizedError({ message: 'A valid operator token is required for the codec server' }));
    }
    next();
  };
}

export function registerCodecRoutes(
  routes: ApiRoutes,
  deps: { codec: PayloadCodec; operatorToken: string; corsOrigins: string[] },
) {
  const corsHandler = cors({
    origin: deps.corsOrigins,
    methods: ['POST', 'OPTIONS'],
    allowedHeaders: ['Content-Type', 'X-Namespace', 'Authorization'],
    credentials: true,
    maxAge: 600,
  });
  const auth = requireOperatorToken(deps.operatorToken);

  for (const direction of ['encode', 'decode'] as const) {
    const run = async (body: z.infer<typeof payloadsSchema>) => {
      const payloads = body.payloads.map((payload) => ({
        metadata: Object.fromEntries(Object.entries(payload.metadata).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
        data: Buffer.from(payload.data, 'base64'),
      }));
      let result;
      try {
        result = await deps.codec[direction](payloads);
      } catch (error) {
        throw new ValidationError({ code: 'codec_failed', message: `Payloads could not be ${direction}d`, cause: error });
      }
      return {
        payloads: result.map((payload) => ({
          metadata: Object.fromEntries(
            Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
          ),
          data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
        })),
      };
    };

    for (const path of [`/codec/${direction}`, `/codec/:operatorToken/${direction}`]) {
      routes.preflight(path, corsHandler);
      routes.add(
        {
          method: 'post',
          path,
          operationId: path.includes(':') ? `${direction}PayloadsWithPathToken` : `${direction}Payloads`,
          summary: `${direction === 'encode' ? 'Encrypt' : 'Decrypt'} Temporal payloads (remote codec for Temporal UI and CLI)`,
          tags: ['codec'],
          security: path.includes(':') ? [] : ['operatorToken'],
          params: path.includes(':') ? z.object({ operatorToken: z.string() }) : undefined,
          body: payloadsSchema,
          before: [corsHandler, auth],
          responses: {
            200: { description: `The ${direction}d payloads`, schema: payloadsSchema },
            401: { description: 'Operator token missing or wrong' },
            ...invalidRequestBecause(`payloads the codec cannot ${direction} (codec_failed)`),
          },
        },
        async ({ body, res }) => {
          res.json(await run(body));
        },
      );
    }
  }
}
