import fc from 'fast-check';
import { boundaryValues, invalidValues, type Variant, type Wire } from './edge-values.js';
import type { ContractRequest } from './exchange.js';
import type { Operation, Parameter } from './operations.js';
import { resolve, type OpenApiDocument, type Schema } from './schemas.js';
import { validValue } from './valid-values.js';

export interface RequestContext {
  seed: number;
  /** `Authorization` header value for a security scheme, if the test holds one. */
  credentials: (scheme: string) => string | undefined;
  /** Values of path parameters that name something that exists (the test's brand, user…). */
  known: Record<string, string>;
  validSamples: number;
}

type Input = Pick<ContractRequest, 'pathParams' | 'query' | 'body'>;

// A path segment of "." or ".." is resolved away by URL parsing before it is sent.
const sendableInPath = (value: unknown) => String(value) !== '' && !/^(\.|\.\.)$/.test(String(value)) && !/^%2e/i.test(String(value));

function inputArbitrary(document: OpenApiDocument, operation: Operation, context: RequestContext, preferKnown: boolean): fc.Arbitrary<Input> {
  const params = (where: Parameter['in']) => operation.parameters.filter((parameter) => parameter.in === where);
  const pathParams = Object.fromEntries(
    params('path').map((parameter) => {
      const generated = validValue(document, parameter.schema).filter(sendableInPath);
      const known = context.known[parameter.name];
      return [parameter.name, known === undefined ? generated : preferKnown ? fc.constant(known) : fc.oneof(fc.constant(known), generated)];
    }),
  );
  const query = Object.fromEntries(params('query').map((parameter) => [parameter.name, validValue(document, parameter.schema)]));
  const queryRequired = params('query').filter((parameter) => parameter.required).map((parameter) => parameter.name);
  const body = operation.body ? validValue(document, operation.body.schema) : fc.constant(undefined);
  return fc.record({
    pathParams: fc.record(pathParams),
    query: fc.record(query, { requiredKeys: queryRequired }),
    body: operation.body?.required || preferKnown ? body : fc.option(body, { nil: undefined }),
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
    for (const variant of of(property, wire)) out.push({ label: `body ${name}: ${variant.label}`, input: { ...base, body: { ...body, [name]: variant.value } } });
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
  const valid = fc.sample(inputArbitrary(document, operation, context, false), { seed: context.seed, numRuns: context.validSamples });
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
