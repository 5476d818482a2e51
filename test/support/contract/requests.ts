import fc from 'fast-check';
import { boundaryValues, invalidValues, type Variant, type Wire } from './edge-values.js';
import type { ContractRequest } from './exchange.js';
import type { Operation, Parameter } from './operations.js';
import { resolve, type OpenApiDocument, type Schema } from './schemas.js';
import { validates, validValue } from './valid-values.js';

export interface RequestContext {
  seed: number;
  /** `Authorization` header value for a security scheme, if the test holds one. */
  credentials: (scheme: string) => string | undefined;
  /** Values of path parameters that name something that exists (the test's brand, user…). */
  known: Record<string, string>;
  /** Values of query parameters and top-level body properties that name something that exists. */
  knownFields?: Record<string, string>;
  validSamples: number;
}

type Input = Pick<ContractRequest, 'pathParams' | 'query' | 'body'>;

// A path segment of "." or ".." is resolved away by URL parsing before it is sent.
const sendableInPath = (value: unknown) => String(value) !== '' && !/^(\.|\.\.)$/.test(String(value)) && !/^%2e/i.test(String(value));

/** Puts the known values of properties the body may have into it, each where the body stays valid with it. */
function withKnownFields(document: OpenApiDocument, schema: Schema, body: unknown, knownFields: Record<string, string>): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const resolved = resolve(document, schema);
  const allowed = (name: string) => name in (resolved.properties ?? {}) || (resolved.additionalProperties && !resolved.properties);
  return Object.entries(knownFields)
    .filter(([name]) => allowed(name))
    .reduce<Record<string, unknown>>((named, [name, value]) => (validates(schema, { ...named, [name]: value }) ? { ...named, [name]: value } : named), body as Record<string, unknown>);
}

/**
 * Inputs that name real things (every path parameter, query parameter and body property the test knows a
 * value for), or that may not: each path parameter known or generated, the rest generated.
 */
function inputArbitrary(document: OpenApiDocument, operation: Operation, context: RequestContext, named: boolean): fc.Arbitrary<Input> {
  const params = (where: Parameter['in']) => operation.parameters.filter((parameter) => parameter.in === where);
  const knownFields = named ? (context.knownFields ?? {}) : {};
  const pathParams = Object.fromEntries(
    params('path').map((parameter) => {
      const generated = validValue(document, parameter.schema).filter(sendableInPath);
      const known = context.known[parameter.name];
      return [parameter.name, known === undefined ? generated : named ? fc.constant(known) : fc.oneof(fc.constant(known), generated)];
    }),
  );
  const query = Object.fromEntries(
    params('query').map((parameter) => [parameter.name, parameter.name in knownFields ? fc.constant(knownFields[parameter.name]) : validValue(document, parameter.schema)]),
  );
  const queryRequired = params('query').filter((parameter) => parameter.required || parameter.name in knownFields).map((parameter) => parameter.name);
  const body = operation.body ? validValue(document, operation.body.schema).map((value) => withKnownFields(document, operation.body!.schema, value, knownFields)) : fc.constant(undefined);
  return fc.record({
    pathParams: fc.record(pathParams),
    query: fc.record(query, { requiredKeys: queryRequired }),
    body: operation.body?.required || named ? body : fc.option(body, { nil: undefined }),
  }) as fc.Arbitrary<Input>;
}

/** One request per variant, each changing one place of a base input. */
function variantsOf(document: OpenApiDocument, operation: Operation, base: Input, kind: 'boundary' | 'invalid', seed: number): { label: string; input: Input }[] {
  const of = (schema: Schema, wire: Wire): Variant[] => (kind === 'boundary' ? boundaryValues(document, schema, seed) : invalidValues(document, schema, wire));
  const out: { label: string; input: Input }[] = [];
  for (const parameter of operation.parameters) {
    const where = parameter.in === 'path' ? 'pathParams' : parameter.in === 'query' ? 'query' : undefined;
    if (!where) continue;
    for (const variant of of(parameter.schema, 'text')) {
      if (where === 'pathParams' && !sendableInPath(variant.value)) continue;
      out.push({ label: `${parameter.in} ${parameter.name}: ${variant.label}`, input: { ...base, [where]: { ...base[where], [parameter.name]: variant.value } } });
    }
    if (kind === 'invalid' && where === 'query' && parameter.required) {
      const { [parameter.name]: _left, ...rest } = base.query;
      out.push({ label: `query ${parameter.name} missing`, input: { ...base, query: rest } });
    }
  }
  if (!operation.body) return out;
  const wire: Wire = operation.body.contentType === 'application/json' ? 'json' : 'text';
  const schema = resolve(document, operation.body.schema);
  const body = (base.body ?? {}) as Record<string, unknown>;
  if (kind === 'invalid' && wire === 'json') out.push(...of(schema, wire).map((variant) => ({ label: `body: ${variant.label}`, input: { ...base, body: variant.value } })));
  for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
    for (const variant of of(property, wire)) {
      const changed = { ...body, [name]: variant.value };
      // A boundary value stays a valid request only where the body's own rules allow it (exactly one of two fields).
      if (kind === 'boundary' && !validates(operation.body.schema, changed)) continue;
      out.push({ label: `body ${name}: ${variant.label}`, input: { ...base, body: changed } });
    }
  }
  if (kind === 'invalid') {
    for (const name of (schema.required ?? []) as string[]) {
      const { [name]: _left, ...rest } = body;
      out.push({ label: `body ${name} missing`, input: { ...base, body: rest } });
    }
    if (schema.additionalProperties === false) out.push({ label: 'body with a property the schema does not have', input: { ...base, body: { ...body, notInTheSchema: 'x' } } });
  }
  return out;
}

/**
 * Requests for one operation: schema-valid ones (fast-check, fixed seed), boundary values, and
 * invalid ones (one rule broken at a time), plus no credentials, a foreign media type and broken JSON.
 */
export function requestsFor(document: OpenApiDocument, operation: Operation, context: RequestContext): ContractRequest[] {
  const schemes = operation.security.filter((scheme) => context.credentials(scheme));
  const authorization = (index: number) => (schemes.length ? context.credentials(schemes[index % schemes.length]!) : undefined);
  const valid = fc.sample(fc.oneof(inputArbitrary(document, operation, context, true), inputArbitrary(document, operation, context, false)), {
    seed: context.seed, numRuns: context.validSamples,
  });
  const [base] = fc.sample(inputArbitrary(document, operation, context, true), { seed: context.seed, numRuns: 1 });
  const requests: ContractRequest[] = valid.map((input, index) => ({ label: `valid #${index + 1}`, kind: 'valid', ...input, authorization: authorization(index) }));
  for (const kind of ['boundary', 'invalid'] as const) {
    for (const variant of variantsOf(document, operation, base!, kind, context.seed)) requests.push({ label: variant.label, kind, ...variant.input, authorization: authorization(0) });
  }
  if (operation.security.length > 0) requests.push({ label: 'no credentials', kind: 'invalid', ...base!, authorization: undefined });
  if (operation.body) {
    requests.push({ label: 'body of a foreign media type', kind: 'invalid', ...base!, rawBody: { contentType: 'text/plain', text: 'plain text' }, authorization: authorization(0) });
    if (operation.body.contentType === 'application/json') {
      requests.push({ label: 'body of broken JSON', kind: 'invalid', ...base!, rawBody: { contentType: 'application/json', text: '{"broken": ' }, authorization: authorization(0) });
    }
  }
  return requests;
}
