import type { ConversationRef } from '../../workflows/conversation/definitions.js';
import { repositories, type ConversationActivityDependencies } from './dependencies.js';

export function setOptOutActivity(deps: ConversationActivityDependencies) {
  const { optOuts } = repositories(deps.db);
  /** STOP / START for this consumer on this number; the history keeps every change. */
  return async function setOptOut(input: { conversation: ConversationRef; optedOut: boolean; keyword: string; at: string }) {
    await optOuts.set({
      brandId: input.conversation.brandId,
      entryPointId: input.conversation.entryPointId,
      consumerPseudonym: input.conversation.consumer.pseudonym,
      optedOut: input.optedOut,
      keyword: input.keyword,
      at: new Date(input.at),
    });
  };
}
