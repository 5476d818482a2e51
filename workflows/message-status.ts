import { getExternalWorkflowHandle, proxyActivities } from '@temporalio/workflow';
import type { ConversationActivities } from '../activities/conversations/index.js';
import type { ChannelScope } from '../db/repositories/channel-messages.js';
import type { MessageStatus } from '../db/repositories/messages.js';
import { deliveryStatusSignal, type OutboundStatus } from './conversation/definitions.js';

const { recordDeliveryStatus } = proxyActivities<ConversationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 20 },
});

/** One provider status event, as the webhook verified it. */
export interface DeliveryStatusInput {
  provider: 'twilio' | 'facebook';
  /**
   * The channel (of its brand) whose credentials verified the callback: only its conversations' messages
   * are touched. Events accepted before this existed have none, and are ignored.
   */
  scope: ChannelScope;
  status: MessageStatus;
  at: string;
  /** Twilio: our id, carried in the status callback URL. */
  messageId?: string;
  /** Facebook delivery receipts name provider ids. */
  providerMessageIds?: string[];
  /** Facebook read receipts: everything sent up to this time in the conversation was read. */
  readUpTo?: { conversationWorkflowId: string; watermark: string };
  errorCode?: string;
}

/**
 * One provider status event (Twilio status callback, Messenger delivery or
 * read receipt), durably accepted at the webhook and recorded here. Its
 * workflow id names the event, so a redelivered callback changes nothing.
 */
export async function messageStatusWorkflow(input: DeliveryStatusInput): Promise<number> {
  const recorded = await recordDeliveryStatus(input);
  for (const item of recorded) {
    if (!item.conversationWorkflowId || item.status === 'received') continue;
    try {
      await getExternalWorkflowHandle(item.conversationWorkflowId).signal(deliveryStatusSignal, {
        messageId: item.messageId,
        status: item.status as OutboundStatus,
        at: input.at,
        ...(item.failure ? { failure: item.failure } : {}),
      });
    } catch {
      // The conversation has ended: the database holds the status, which is what agents read.
    }
  }
  return recorded.length;
}
