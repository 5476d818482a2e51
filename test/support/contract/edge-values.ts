import fc from 'fast-check';
import { resolve, typesOf, type OpenApiDocument, type Schema } from './schemas.js';
import { validValue } from './valid-values.js';

export interface Variant {
  label: string;
  value: unknown;
}

/** How a value travels: JSON keeps types; a query string or form sends text only. */
export type Wire = 'json' | 'text';

const sampleOf = (document: OpenApiDocument, schema: Schema, seed: number) => fc.sample(validValue(document, schema), { seed, numRuns: 1 })[0];

/** Valid values at the edges of what a schema allows: shortest and longest, smallest and largest, first and last. */
export function boundaryValues(document: OpenApiDocument, raw: Schema, seed: number): Variant[] {
  const schema = resolve(document, raw);
  const variants: Variant[] = [];
  if (Array.isArray(schema.enum) && schema.enum.length > 1) {
    variants.push({ label: 'first enum value', value: schema.enum[0] }, { label: 'last enum value', value: schema.enum.at(-1) });
  }
  const types = typesOf(schema);
  if (types.includes('string') && !schema.pattern && !schema.format && !schema.enum) {
    const min = schema.minLength ?? 0;
    variants.push({ label: `shortest string (${min})`, value: 'a'.repeat(min) });
    // Valid by the schema, so a server that trims before it counts must say so (a pattern such as \S).
    if (min > 0) variants.push({ label: `blank string (${min})`, value: ' '.repeat(min) });
    if (schema.maxLength !== undefined) {
      variants.push({ label: `longest string (${schema.maxLength})`, value: 'a'.repeat(schema.maxLength) });
      variants.push({ label: `longest non-ASCII string (${schema.maxLength})`, value: 'é'.repeat(schema.maxLength) });
    }
  }
  if (types.includes('integer') || types.includes('number')) {
    if (schema.minimum !== undefined) variants.push({ label: `minimum (${schema.minimum})`, value: schema.minimum });
    if (schema.maximum !== undefined) variants.push({ label: `maximum (${schema.maximum})`, value: schema.maximum });
  }
  if (types.includes('array') && schema.items) {
    const item = sampleOf(document, schema.items, seed);
    const min = schema.minItems ?? 0;
    variants.push({ label: `fewest items (${min})`, value: Array.from({ length: min }, () => item) });
    if (schema.maxItems !== undefined && schema.maxItems <= 100 && !schema.uniqueItems) {
      variants.push({ label: `most items (${schema.maxItems})`, value: Array.from({ length: schema.maxItems }, () => item) });
    }
  }
  return variants;
}

function patternViolation(pattern: string, schema: Schema): string | undefined {
  const regex = new RegExp(pattern, 'u');
  const max = schema.maxLength ?? 50;
  const candidates = ['!', ' ', '-', '0', 'A', 'a', '\u00e9', 'x'.repeat(Math.min(max, 50)), '!'.repeat(Math.max(1, schema.minLength ?? 1))];
  return candidates.find((candidate) => !regex.test(candidate) && candidate.length >= (schema.minLength ?? 0) && candidate.length <= max);
}

/** Values the schema refuses, each breaking one rule. */
export function invalidValues(document: OpenApiDocument, raw: Schema, wire: Wire): Variant[] {
  const schema = resolve(document, raw);
  if (schema.oneOf || schema.anyOf) return wire === 'json' ? [{ label: 'a value of no listed shape', value: [] }] : [];
  const types = typesOf(schema);
  if (types.length === 0) return [];
  const variants: Variant[] = [];
  const only = (type: string) => types.length === 1 && types[0] === type;
  if (Array.isArray(schema.enum) || 'const' in schema) variants.push({ label: 'a value outside the enum', value: 'not-a-listed-value' });
  if (types.includes('string') && !schema.enum) {
    if (schema.maxLength !== undefined) variants.push({ label: `too long (${schema.maxLength + 1})`, value: 'a'.repeat(schema.maxLength + 1) });
    if (schema.minLength > 1 || (schema.minLength === 1 && wire === 'json')) variants.push({ label: `too short (${schema.minLength - 1})`, value: 'a'.repeat(schema.minLength - 1) });
    if (schema.pattern) {
      const value = patternViolation(schema.pattern, schema);
      if (value !== undefined) variants.push({ label: `not matching ${schema.pattern}`, value });
    }
    if (schema.format === 'date-time' || schema.format === 'email') variants.push({ label: `not a ${schema.format}`, value: `not-a-${schema.format}` });
  }
  if (types.includes('integer') || types.includes('number')) {
    if (schema.minimum !== undefined) variants.push({ label: 'below the minimum', value: schema.minimum - 1 });
    if (schema.maximum !== undefined) variants.push({ label: 'above the maximum', value: schema.maximum + 1 });
    if (only('integer')) variants.push({ label: 'not an integer', value: 1.5 });
    if (!types.includes('string')) variants.push({ label: 'not a number', value: 'twelve' });
  }
  if (wire === 'json') {
    if (only('boolean')) variants.push({ label: 'not a boolean', value: 'yes' });
    if (only('string')) variants.push({ label: 'not a string', value: 12345 });
    if (only('object')) variants.push({ label: 'not an object', value: 'an object expected' });
    if (only('array')) {
      variants.push({ label: 'not an array', value: { not: 'an array' } });
      if (schema.maxItems !== undefined && schema.maxItems <= 1000 && schema.items) {
        const item = sampleOf(document, schema.items, 1);
        variants.push({ label: `too many items (${schema.maxItems + 1})`, value: Array.from({ length: schema.maxItems + 1 }, () => item) });
      }
    }
  }
  return variants;
}
