import type { IndexDirection } from 'mongodb';

/** Every collection Switchboard uses, by one name each. */
export const Collections = {
  systemChecks: 'system_checks',
} as const;

export type CollectionName = (typeof Collections)[keyof typeof Collections];

export interface IndexSpec {
  collection: CollectionName;
  name: string;
  key: Record<string, IndexDirection>;
  unique?: boolean;
}

/**
 * Indexes created at start-up. Only plain and unique indexes: FerretDB v1 has
 * neither TTL nor partial indexes, so expiry is done by scheduled workflows.
 */
export const indexSpecs: IndexSpec[] = [
  { collection: Collections.systemChecks, name: 'checkedAt_desc', key: { checkedAt: -1 } },
  { collection: Collections.systemChecks, name: 'workflowId_unique', key: { workflowId: 1 }, unique: true },
];
