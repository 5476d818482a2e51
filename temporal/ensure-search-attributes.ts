import type { Connection } from '@temporalio/client';
import protoModule from '@temporalio/proto';
import { allSearchAttributeKeys } from './search-attributes.js';

const { IndexedValueType } = protoModule.temporal.api.enums.v1;
const indexedType = { KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD } as const;

/** `--search-attribute` arguments for `temporal server start-dev`. */
export function devServerSearchAttributeArgs(): string[] {
  return allSearchAttributeKeys.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]);
}

/** Registers missing search attributes on a server we do not start ourselves (idempotent). */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = allSearchAttributeKeys.filter((key) => !(key.name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return [];
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((key) => [key.name, indexedType[key.type as 'KEYWORD']])),
  });
  return missing.map((key) => key.name);
}
