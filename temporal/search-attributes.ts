import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes operators filter on in Temporal UI. Temporal stores
 * their values unencrypted, so they hold ids and states only, never consumer
 * data. Workflow-safe: imported by workflow code to upsert them.
 */
export const SearchAttributes = {
  BrandId: defineSearchAttributeKey('BrandId', SearchAttributeType.KEYWORD),
  Channel: defineSearchAttributeKey('Channel', SearchAttributeType.KEYWORD),
  EntryPoint: defineSearchAttributeKey('EntryPoint', SearchAttributeType.KEYWORD),
  QueueId: defineSearchAttributeKey('QueueId', SearchAttributeType.KEYWORD),
  AgentId: defineSearchAttributeKey('AgentId', SearchAttributeType.KEYWORD),
  ConversationState: defineSearchAttributeKey('ConversationState', SearchAttributeType.KEYWORD),
} as const;

export const allSearchAttributeKeys = Object.values(SearchAttributes);
