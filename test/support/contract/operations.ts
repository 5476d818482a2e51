import type { OpenApiDocument, Schema } from './schemas.js';

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  method: string;
  /** OpenAPI path template (`/api/v1/users/{userId}`). */
  path: string;
  operationId: string;
  /** Names of the security schemes any of which admits a request; empty: no credentials. */
  security: string[];
  parameters: Parameter[];
  body?: { contentType: string; schema: Schema; required: boolean };
  responses: Record<string, Schema>;
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every operation of the document, in document order. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => methods.includes(method))
      .map(([method, operation]) => {
        const [contentType, media] = Object.entries((operation.requestBody?.content ?? {}) as Record<string, Schema>)[0] ?? [];
        return {
          method,
          path,
          operationId: operation.operationId as string,
          security: ((operation.security ?? []) as Record<string, string[]>[]).flatMap((requirement) => Object.keys(requirement)),
          parameters: [...((item.parameters ?? []) as Parameter[]), ...((operation.parameters ?? []) as Parameter[])],
          ...(contentType ? { body: { contentType, schema: media!.schema as Schema, required: Boolean(operation.requestBody.required) } } : {}),
          responses: operation.responses as Record<string, Schema>,
        };
      }),
  );
}
