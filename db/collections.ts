import type { IndexDirection } from 'mongodb';

/** Every collection Switchboard uses, by one name each. */
export const Collections = {
  systemChecks: 'system_checks',
  brands: 'brands',
  channels: 'channels',
  entryPoints: 'entry_points',
  conversations: 'conversations',
  messages: 'messages',
  optOuts: 'opt_outs',
  users: 'users',
  sessions: 'sessions',
  /** One row per password check, `_id` `<userId>:<epoch>:<n>`: the unique id caps the checks before a lock (FerretDB has no atomic counter). */
  loginAttempts: 'login_attempts',
  /** One row per counted request, `_id` `<hash of key>|<window>|<n>`: rate limits shared by every API replica. */
  rateLimitHits: 'rate_limit_hits',
  /** One row per open event stream, `_id` `<principal>#<n>` (n ≤ 5) under a renewed lease: the stream cap shared by every API replica. */
  streamSlots: 'stream_slots',
  profiles: 'profiles',
  auditLog: 'audit_log',
  /** Per-user grants only the platform admin makes (secureForm.viewInHistory), one row each: insert grants, delete revokes. */
  platformGrants: 'platform_grants',
  /** One row per revoked brand API token: the arbiter, since a $pull on the brand can be lost to a concurrent brand update. */
  apiTokenRevocations: 'api_token_revocations',
  queues: 'queues',
  events: 'events',
  formTemplates: 'form_templates',
  secureForms: 'secure_forms',
  oneTimeKeys: 'one_time_keys',
  /** One row per used key, unique by key hash: the atomic part of "single use". */
  oneTimeKeyUses: 'one_time_key_uses',
  /** Webhook events on their way to Temporal (store-and-forward); see InboundJournal. */
  inboundJournal: 'inbound_journal',
  inboundJournalHeads: 'inbound_journal_heads',
  /** In the vault database (VAULT_MONGODB_URI), not the main one. */
  vaultRecords: 'vault_records',
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
  { collection: Collections.brands, name: 'apiTokenHash', key: { 'apiTokens.hash': 1 } },
  { collection: Collections.channels, name: 'brand_created', key: { brandId: 1, createdAt: 1 } },
  { collection: Collections.entryPoints, name: 'channel', key: { channelId: 1 } },
  { collection: Collections.conversations, name: 'brand_lastMessage', key: { brandId: 1, lastMessageAt: -1, _id: -1 } },
  { collection: Collections.conversations, name: 'brand_status_lastMessage', key: { brandId: 1, status: 1, lastMessageAt: -1 } },
  { collection: Collections.conversations, name: 'consumer', key: { brandId: 1, 'consumer.pseudonym': 1 } },
  { collection: Collections.messages, name: 'conversation_created', key: { conversationId: 1, createdAt: 1, _id: 1 } },
  { collection: Collections.messages, name: 'providerMessageId', key: { providerMessageId: 1 } },
  { collection: Collections.users, name: 'brand_email_unique', key: { brandId: 1, email: 1 }, unique: true },
  { collection: Collections.sessions, name: 'user', key: { userId: 1 } },
  { collection: Collections.loginAttempts, name: 'user_epoch', key: { userId: 1, epoch: 1 } },
  { collection: Collections.profiles, name: 'brand_name_unique', key: { brandId: 1, name: 1 }, unique: true },
  { collection: Collections.auditLog, name: 'brand_at', key: { brandId: 1, at: -1 } },
  { collection: Collections.auditLog, name: 'brand_action_at', key: { brandId: 1, action: 1, at: -1 } },
  { collection: Collections.queues, name: 'brand', key: { brandId: 1 } },
  { collection: Collections.events, name: 'brand_seq_unique', key: { brandId: 1, seq: 1 }, unique: true },
  { collection: Collections.events, name: 'brand_key_unique', key: { brandId: 1, key: 1 }, unique: true },
  // The retention Schedule prunes live events by age.
  { collection: Collections.events, name: 'brand_at', key: { brandId: 1, at: 1 } },
  { collection: Collections.conversations, name: 'brand_agent_status', key: { brandId: 1, agentId: 1, status: 1 } },
  { collection: Collections.formTemplates, name: 'brand', key: { brandId: 1 } },
  { collection: Collections.messages, name: 'brand_created', key: { brandId: 1, createdAt: 1 } },
  { collection: Collections.sessions, name: 'expiresAt', key: { expiresAt: 1 } },
  { collection: Collections.rateLimitHits, name: 'expiresAt', key: { expiresAt: 1 } },
  // Slots are found by `_id`; this serves the sweep of leases long expired.
  { collection: Collections.streamSlots, name: 'expiresAt', key: { expiresAt: 1 } },
  { collection: Collections.secureForms, name: 'conversation', key: { conversationId: 1 } },
  { collection: Collections.oneTimeKeys, name: 'expiresAt', key: { expiresAt: 1 } },
  { collection: Collections.conversations, name: 'brand_opened', key: { brandId: 1, openedAt: 1 } },
  { collection: Collections.conversations, name: 'brand_closed', key: { brandId: 1, closedAt: 1 } },
  { collection: Collections.secureForms, name: 'brand_sent', key: { brandId: 1, sentAt: 1 } },
  // The arbiter of arrival order per workflow (a unique insert claims the next number), and the next entry to forward.
  { collection: Collections.inboundJournal, name: 'key_seq_unique', key: { key: 1, seq: 1 }, unique: true },
  { collection: Collections.inboundJournal, name: 'status_received', key: { status: 1, receivedAt: 1 } },
  { collection: Collections.inboundJournalHeads, name: 'at', key: { at: 1 } },
];

/** Indexes of the vault database. */
export const vaultIndexSpecs: IndexSpec[] = [
  { collection: Collections.vaultRecords, name: 'brand_created', key: { brandId: 1, createdAt: 1 } },
  { collection: Collections.vaultRecords, name: 'form', key: { formId: 1 } },
];
