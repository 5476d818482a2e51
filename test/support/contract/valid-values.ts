import fc from 'fast-check';
import { resolve, typesOf, type OpenApiDocument, type Schema } from './schemas.js';

/** Characters of the Basic Multilingual Plane: JSON Schema counts code points, zod UTF-16 units, and they agree here. */
const bmpChar = fc.oneof(
  { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0xa0, max: 0xd7ff }).map((code) => String.fromCharCode(code)) },
);
const word = fc.stringMatching(/^[a-z][a-z0-9]{0,11}$/);

function stringValue(schema: Schema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = schema.maxLength ?? Math.max(minLength, 40);
  const pattern = typeof schema.pattern === 'string' ? new RegExp(schema.pattern, 'u') : undefined;
  const fits = (value: string) => [...value].length >= minLength && [...value].length <= maxLength && (!pattern || pattern.test(value));
  // A format says more than a pattern that merely approximates it: generate from the format, keep what the pattern admits.
  switch (schema.format) {
    case 'date-time':
      return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map((date) => date.toISOString()).filter(fits);
    case 'email':
      return fc.tuple(word, word).map(([local, domain]) => `${local}@${domain}.example`).filter(fits);
    case 'uri':
      return fc.webUrl().filter(fits);
  }
  if (pattern) return fc.stringMatching(pattern).filter(fits);
  return fc.string({ unit: bmpChar, minLength, maxLength: Math.min(maxLength, minLength + 40) });
}

function numberValue(schema: Schema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (integer ? 1 : 1e-6) : -1_000_000);
  const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - (integer ? 1 : 1e-6) : 1_000_000);
  return integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** Decides whether a value is valid against a schema: for the rules generation only approximates. */
export type Accepts = (schema: Schema, value: unknown) => boolean;
let accepts: Accepts = () => true;
export const useValidator = (validator: Accepts) => {
  accepts = validator;
};
/** Whether a value is valid against a schema of the document (the validator given to useValidator). */
export const validates: Accepts = (schema, value) => accepts(schema, value);

/** Values a JSON Schema accepts, for the subset zod-to-openapi writes. */
export function validValue(document: OpenApiDocument, raw: Schema, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(document, raw);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const combined = ['oneOf', 'anyOf'].find((key) => Array.isArray(schema[key]));
  const alongside = schema.properties || schema.type;
  if (combined && !alongside) return fc.oneof(...schema[combined].map((option: Schema) => validValue(document, option, depth + 1)));
  if (combined || schema.not) {
    // Constraints beside the shape (exactly one of two fields; not a reserved name): generate the shape, keep the valid.
    const { oneOf: _oneOf, anyOf: _anyOf, not: _not, ...shape } = schema;
    return validValue(document, shape, depth).filter((value) => accepts(raw, value));
  }
  const types = typesOf(schema).filter((type) => type !== 'null' || typesOf(schema).length === 1);
  if (types.length === 0) return fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean());
  return fc.oneof(...types.map((type) => valueOfType(document, schema, type, depth)));
}

function valueOfType(document: OpenApiDocument, schema: Schema, type: string, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return stringValue(schema);
    case 'integer':
      return numberValue(schema, true);
    case 'number':
      return numberValue(schema, Boolean(schema.multipleOf === 1));
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.min(schema.maxItems ?? 3, minLength + 3);
      const items = validValue(document, schema.items ?? {}, depth + 1);
      return schema.uniqueItems ? fc.uniqueArray(items, { minLength, maxLength, selector: (item) => JSON.stringify(item) }) : fc.array(items, { minLength, maxLength });
    }
    default:
      return objectValue(document, schema, depth);
  }
}

function objectValue(document: OpenApiDocument, schema: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties: Record<string, Schema> = schema.properties ?? {};
  const required: string[] = schema.required ?? [];
  if (Object.keys(properties).length === 0 && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    return fc.dictionary(word, validValue(document, schema.additionalProperties, depth + 1), { maxKeys: 3 });
  }
  const shape = Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, validValue(document, property, depth + 1)]));
  return fc.record(shape, { requiredKeys: required.filter((name) => name in shape) }) as fc.Arbitrary<Record<string, unknown>>;
}
