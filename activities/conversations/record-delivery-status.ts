import { log } from '@temporalio/activity';
import { Collections } from '../../db/collections.js';
import { ChannelMessages, type ChannelScope } from '../../db/repositories/channel-messages.js';
import type { ConversationDocument } from '../../db/repositories/conversations.js';
import type { MessageDocument, MessageStatus } from '../../db/repositories/messages.js';
import { publishMessageStatus } from '../routing/conversation-events.js';
import type { DeliveryStatusInput } from '../../workflows/message-status.js';
import { repositories, type ConversationActivityDependencies } from './dependencies.js';

export interface RecordedStatus {
  messageId: string;
  conversationWorkflowId?: string;
  status: MessageStatus;
  failure?: { code: string; reason: string };
}

/** Twilio's delivery error codes agents most often meet, in words they can act on. */
const twilioDeliveryReasons: Record<string, string> = {
  '30003': 'The handset is unreachable (off or out of coverage)',
  '30004': 'The recipient blocked messages from this number',
  '30005': 'The number is unknown or no longer in service',
  '30006': 'The number is a landline or cannot receive SMS',
  '30007': 'The carrier filtered the message as spam',
  '30008': 'The carrier reported an unknown error',
  '21610': 'The consumer opted out (STOP) of messages from this number',
};

export function recordDeliveryStatusActivity(deps: ConversationActivityDependencies) {
  const { messages } = repositories(deps.db);
  const onChannel = new ChannelMessages(deps.db);
  const conversations = deps.db.collection<ConversationDocument>(Collections.conversations);

  const targetsOf = (input: DeliveryStatusInput, scope: ChannelScope): Promise<MessageDocument[]> => {
    if (input.messageId) return onChannel.byId(scope, input.messageId);
    if (input.providerMessageIds) return onChannel.byProviderIds(scope, input.providerMessageIds);
    if (input.readUpTo) return onChannel.outboundReadUpTo(scope, input.readUpTo.conversationWorkflowId, new Date(input.readUpTo.watermark));
    return Promise.resolve([]);
  };

  const workflowIdOf = async (message: MessageDocument) =>
    (await conversations.findOne({ _id: message.conversationId, brandId: message.brandId }, { projection: { workflowId: 1 } }))?.workflowId;

  /** Records a provider's status event on our messages; returns what changed so the conversation can be told. */
  return async function recordDeliveryStatus(input: DeliveryStatusInput): Promise<RecordedStatus[]> {
    const at = new Date(input.at);
    const scope = input.scope as ChannelScope | undefined;
    const targets = scope ? await targetsOf(input, scope) : [];
    if (targets.length === 0) {
      // Nothing of this channel's: a message of another channel or brand, or one since erased. Not an error for the provider.
      log.debug('status event matched no message of its channel', { provider: input.provider, channelId: scope?.channelId, messageId: input.messageId });
      return [];
    }

    const failed = input.status === 'failed' || input.status === 'undelivered';
    const failure = failed
      ? {
          code: `${input.provider}_${input.errorCode ?? input.status}`,
          reason: (input.errorCode && twilioDeliveryReasons[input.errorCode]) || 'The carrier could not deliver the message',
        }
      : undefined;
    const recorded: RecordedStatus[] = [];
    for (const message of targets) {
      await messages.recordStatus(message, message._id, { status: input.status, at, errorCode: input.errorCode, failure });
      await publishMessageStatus(deps.db, {
        conversationId: message.conversationId, messageId: message._id, status: input.status, key: `status:${message._id}:${input.status}`,
        ...(failure ? { details: { failure } } : {}),
      });
      recorded.push({ messageId: message._id, conversationWorkflowId: await workflowIdOf(message), status: input.status, failure });
    }
    return recorded;
  };
}
