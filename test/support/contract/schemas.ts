/** The parts of an OpenAPI 3.1 document the contract test reads. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Schema = Record<string, any>;

export interface OpenApiDocument {
  paths: Record<string, Record<string, Schema>>;
  components?: { schemas?: Record<string, Schema> };
}

/** Follows local `$ref`s (`#/components/schemas/X`); merges `allOf` of objects. */
export function resolve(document: OpenApiDocument, schema: Schema): Schema {
  let current = schema;
  for (let depth = 0; current.$ref && depth < 20; depth++) {
    const path = (current.$ref as string).replace(/^#\//, '').split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const target = path.reduce<any>((node, part) => node?.[part], document);
    if (!target) throw new Error(`unresolvable $ref ${current.$ref}`);
    const { $ref: _ref, ...siblings } = current;
    current = { ...target, ...siblings };
  }
  if (Array.isArray(current.allOf)) {
    const parts = current.allOf.map((part: Schema) => resolve(document, part));
    const { allOf: _allOf, ...rest } = current;
    current = parts.reduce(
      (merged: Schema, part: Schema) => ({
        ...merged, ...part,
        properties: { ...merged.properties, ...part.properties },
        required: [...(merged.required ?? []), ...(part.required ?? [])],
      }),
      rest,
    );
  }
  return current;
}

/** The JSON types a schema admits (`type` may be a list; enum/const imply theirs). */
export function typesOf(schema: Schema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (typeof schema.type === 'string') return [schema.type];
  const values = 'const' in schema ? [schema.const] : schema.enum;
  if (Array.isArray(values)) return [...new Set(values.map((value: unknown) => (value === null ? 'null' : typeof value)))];
  if (schema.properties || schema.additionalProperties !== undefined) return ['object'];
  if (schema.items) return ['array'];
  return [];
}
