import type { Request, RequestHandler, Response, Router } from 'express';
import { OpenAPIRegistry, type ResponseConfig, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { z, ZodObject, ZodType } from 'zod';
import { ValidationError } from '../errors.js';
import { errorBodySchema } from './schemas.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseSpec {
  description: string;
  schema?: ZodType;
  /** Defaults to application/json. */
  contentType?: string;
}

export interface RouteSpec<P extends ZodObject, Q extends ZodObject, B extends ZodType> {
  method: Method;
  /** Express path syntax (`/api/v1/brands/:brandId`). */
  path: string;
  operationId: string;
  summary: string;
  tags: string[];
  /** OpenAPI security scheme names; the route's own middleware enforces them. */
  security?: string[];
  params?: P;
  query?: Q;
  body?: B;
  bodyContentType?: string;
  responses: Record<number, ResponseSpec>;
  /** Runs before validation (authentication, rate limits, CORS). */
  before?: RequestHandler[];
}

export interface ValidatedInput<P extends ZodObject, Q extends ZodObject, B extends ZodType> {
  params: z.infer<P>;
  query: z.infer<Q>;
  body: z.infer<B>;
  req: Request;
  res: Response;
}

/** Problems every route can answer with, documented once. */
const commonErrors: Record<number, ResponseSpec> = {
  400: { description: 'The request is not valid', schema: errorBodySchema },
  500: { description: 'Unexpected server error', schema: errorBodySchema },
};

/**
 * Registers a route on Express and in the OpenAPI document from the same zod
 * schemas, so `/openapi.json` cannot drift from what the server validates.
 */
export class ApiRoutes {
  readonly registry = new OpenAPIRegistry();
  private readonly mounted: { method: Method; path: string }[] = [];

  constructor(readonly router: Router) {}

  get routes(): readonly { method: Method; path: string }[] {
    return this.mounted;
  }

  add<P extends ZodObject = ZodObject, Q extends ZodObject = ZodObject, B extends ZodType = ZodType>(
    spec: RouteSpec<P, Q, B>,
    handler: (input: ValidatedInput<P, Q, B>) => Promise<void> | void,
  ): void {
    this.registry.registerPath(toOpenApi(spec));
    this.mounted.push({ method: spec.method, path: spec.path });
    this.router[spec.method](spec.path, ...(spec.before ?? []), async (req: Request, res: Response) => {
      const params = parse(spec.params, req.params, 'path parameters');
      const query = parse(spec.query, req.query, 'query');
      const body = parse(spec.body, req.body, 'body');
      await handler({ params, query, body, req, res } as ValidatedInput<P, Q, B>);
    });
  }
}

function parse(schema: ZodType | undefined, value: unknown, where: string) {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw new ValidationError({
    message: `Request ${where} are not valid`.replace('body are', 'body is'),
    details: result.error.issues.map((issue) => ({ in: where, path: issue.path.join('.'), message: issue.message })),
  });
}

function toOpenApi(spec: RouteSpec<ZodObject, ZodObject, ZodType>): RouteConfig {
  const responses: Record<number, ResponseConfig> = {};
  for (const [status, response] of Object.entries({ ...commonErrors, ...spec.responses })) {
    responses[Number(status)] = {
      description: response.description,
      ...(response.schema ? { content: { [response.contentType ?? 'application/json']: { schema: response.schema } } } : {}),
    };
  }
  return {
    method: spec.method,
    path: spec.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}'),
    operationId: spec.operationId,
    summary: spec.summary,
    tags: spec.tags,
    ...(spec.security ? { security: spec.security.map((name) => ({ [name]: [] })) } : {}),
    request: {
      ...(spec.params ? { params: spec.params } : {}),
      ...(spec.query ? { query: spec.query } : {}),
      ...(spec.body
        ? { body: { required: true, content: { [spec.bodyContentType ?? 'application/json']: { schema: spec.body } } } }
        : {}),
    },
    responses,
  };
}
