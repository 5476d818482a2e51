import type { ResolvedEntryPoint } from '../../../db/repositories/channel-directory.js';
import type { ConversationInput, DeliveryPolicy } from '../../../workflows/conversation/definitions.js';

export interface ConversationInputSettings {
  defaultInactivityTimeoutMs: number;
  reopenWindowMs: number;
  /** Reply retries while the provider fails (DELIVERY_RETRY_*); the workflow's defaults when absent. */
  delivery?: DeliveryPolicy;
}

export const channelTypeOf = (resolved: ResolvedEntryPoint) => (resolved.channel.kind === 'twilio' ? 'sms' : 'messenger');

/**
 * The start arguments of a conversation workflow: where the conversation runs and its rules,
 * taken from the entry point the event arrived on. Computed when the webhook accepts the event
 * (and kept, sealed, in the inbound journal until Temporal has it).
 */
export function conversationInputFor(
  settings: ConversationInputSettings,
  resolved: ResolvedEntryPoint,
  consumer: { address: string; pseudonym: string },
): ConversationInput {
  return {
    brandId: resolved.brand._id,
    channel: channelTypeOf(resolved),
    channelId: resolved.channel._id,
    entryPointId: resolved.entryPoint._id,
    queueId: resolved.entryPoint.queueId,
    consumer,
    inactivityTimeoutMs: resolved.brand.inactivityTimeoutMinutes ? resolved.brand.inactivityTimeoutMinutes * 60_000 : settings.defaultInactivityTimeoutMs,
    helpText: resolved.brand.helpText,
    reopenWindowMs: settings.reopenWindowMs,
    ...(settings.delivery ? { delivery: settings.delivery } : {}),
  };
}
