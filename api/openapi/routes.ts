import type { Request, RequestHandler, Response, Router } from 'express';
import { OpenAPIRegistry, type ResponseConfig, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { z, ZodObject, ZodType } from 'zod';
import { ValidationError } from '../errors.js';
import { bodyParser } from './body-parser.js';
import { errorResponsesOf } from './error-responses.js';
import { errorBodySchema } from './schemas.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseSpec {
  description: string;
  schema?: ZodType;
  /** Defaults to application/json. */
  contentType?: string;
  /** Other representations of the same response, chosen by the request's Accept header. */
  alternatives?: { contentType: string; schema: ZodType }[];
  /** OpenAPI extensions of the media type (`x-…`), e.g. the events of a text/event-stream. */
  extensions?: Record<`x-${string}`, unknown>;
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
  /** Runs before validation (authentication, rate limits, CORS); after the body is read. */
  before?: RequestHandler[];
}

export interface ValidatedInput<P extends ZodObject, Q extends ZodObject, B extends ZodType> {
  params: z.infer<P>;
  query: z.infer<Q>;
  body: z.infer<B>;
  req: Request;
  res: Response;
}

export interface ApiRoutesOptions {
  /** Largest request body read (413 beyond). */
  bodyLimitBytes?: number;
}

/**
 * Registers a route on Express and in the OpenAPI document from the same zod
 * schemas, so `/openapi.json` cannot drift from what the server validates.
 * A route reads only the body it declares, in the media type it declares (415
 * otherwise), and its error responses are declared here, once for all routes.
 */
export class ApiRoutes {
  readonly registry = new OpenAPIRegistry();
  private readonly mounted: { method: Method; path: string }[] = [];
  private readonly preflights = new Set<string>();

  constructor(
    readonly router: Router,
    private readonly options: ApiRoutesOptions = {},
  ) {}

  get routes(): readonly { method: Method; path: string }[] {
    return this.mounted;
  }

  /** Paths that answer CORS preflights (OPTIONS) themselves. */
  get preflightPaths(): ReadonlySet<string> {
    return this.preflights;
  }

  /** Answers OPTIONS on a path (CORS preflight); everywhere else OPTIONS is a 405. */
  preflight(path: string, handler: RequestHandler): void {
    this.preflights.add(path);
    this.router.options(path, handler);
  }

  add<P extends ZodObject = ZodObject, Q extends ZodObject = ZodObject, B extends ZodType = ZodType>(
    spec: RouteSpec<P, Q, B>,
    handler: (input: ValidatedInput<P, Q, B>) => Promise<void> | void,
  ): void {
    this.registry.registerPath(toOpenApi(spec));
    this.mounted.push({ method: spec.method, path: spec.path });
    const readBody = spec.body ? [bodyParser(spec.bodyContentType ?? 'application/json', this.options.bodyLimitBytes ?? 100_000)] : [];
    this.router[spec.method](spec.path, ...readBody, ...(spec.before ?? []), async (req: Request, res: Response) => {
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

function content(status: number, response: ResponseSpec) {
  // Every error goes through the one error handler, so it has the one error body.
  if (!response.schema && status >= 400) return { content: { 'application/json': { schema: errorBodySchema } } };
  if (!response.schema) return {};
  const media = (schema: ZodType) => ({ schema, ...response.extensions });
  return {
    content: {
      [response.contentType ?? 'application/json']: media(response.schema),
      ...Object.fromEntries((response.alternatives ?? []).map((other) => [other.contentType, media(other.schema)])),
    },
  };
}

function toOpenApi(spec: RouteSpec<ZodObject, ZodObject, ZodType>): RouteConfig {
  const responses: Record<number, ResponseConfig> = {};
  for (const [status, response] of Object.entries({ ...errorResponsesOf(spec), ...spec.responses })) {
    responses[Number(status)] = { description: response.description, ...content(Number(status), response) };
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
        ? {
            body: {
              // A body the schema accepts when empty may be left out.
              required: !spec.body.safeParse({}).success,
              content: { [spec.bodyContentType ?? 'application/json']: { schema: spec.body } },
            },
          }
        : {}),
    },
    responses,
  };
}
