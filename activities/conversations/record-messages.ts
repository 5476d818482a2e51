import { ApplicationFailure } from '@temporalio/activity';
import { attachmentUrlContext, conversationAddressContext, messageTextContext, newMessage, OWNER_BOUND_SEAL } from '../../db/repositories/field-contexts.js';
import type { ConversationRef, InboundMessage } from '../../workflows/conversation/definitions.js';
import { publishConversationEvent } from '../routing/conversation-events.js';
import type { ConversationDocument, ConversationForRecording } from '../../db/repositories/conversations.js';
import type { InsertOutcome } from '../../db/repositories/messages.js';
import { repositories, type ConversationActivityDependencies } from './dependencies.js';

const inboundMessageId = (ref: ConversationRef, providerMessageId: string) =>
  `${ref.channel === 'sms' ? 'twilio' : 'facebook'}:${providerMessageId}`;

export function recordMessageActivities(deps: ConversationActivityDependencies) {
  const { conversations, messages } = repositories(deps.db);

  const opening = (ref: ConversationRef, openedAt: Date): ConversationDocument => {
    const sealed = { _id: ref.conversationId, brandId: ref.brandId, sealed: OWNER_BOUND_SEAL } as const;
    return {
      ...sealed,
      workflowId: ref.workflowId,
      channel: ref.channel,
      channelId: ref.channelId,
      entryPointId: ref.entryPointId,
      queueId: ref.queueId,
      consumer: { pseudonym: ref.consumer.pseudonym, address: deps.fields.seal(ref.consumer.address, conversationAddressContext(sealed)) },
      status: 'open',
      openedAt,
      lastMessageAt: openedAt,
      messageCount: 0,
    };
  };

  /**
   * Tells the conversation's agent (or queue) a message exists; ids only, the text stays in the transcript.
   * `current`: the conversation as read before recording, when it existed (else it is read now).
   */
  const published = (ref: ConversationRef, messageId: string, direction: string, current: ConversationForRecording | null) =>
    publishConversationEvent(deps.db, {
      conversationId: ref.conversationId, type: 'message.created', key: `message:${messageId}`, data: { messageId, direction }, ...(current ? { conversation: current } : {}),
    });

  /**
   * Read once per recorded message: its ordinal (the count + 1), whether the conversation exists yet, and who the
   * event goes to. Messages of a conversation are recorded one at a time, in the workflow's one-writer chain with
   * assignments and transfers, so none of these changes before the message is recorded.
   */
  const current = (ref: ConversationRef) => conversations.forRecording(ref.conversationId);
  const ordinalAfter = (conversation: ConversationForRecording | null) => (conversation?.messageCount ?? 0) + 1;

  /** The conversation's count once this message is recorded: its ordinal (counted for messages stored before ordinals). */
  const countWith = async (ref: ConversationRef, stored: InsertOutcome, ordinal: number) =>
    stored.outcome === 'exists' ? (stored.message.ordinal ?? (await messages.countExchanged(ref.conversationId))) : ordinal;

  /**
   * Stores an inbound message once, keyed by the provider's id, then the conversation, its counters and
   * the live event — every step idempotent, so a retry after a partial attempt finishes the job.
   * `recorded: false` only when another conversation holds the message (a redelivery into a later run).
   */
  const recordInbound = async (ref: ConversationRef, message: InboundMessage, openedAt: string) => {
    const id = inboundMessageId(ref, message.providerMessageId);
    const head = newMessage(id, ref);
    const receivedAt = new Date(message.receivedAt);
    const echo = message.kind === 'page_echo';
    const conversation = await current(ref);
    const ordinal = ordinalAfter(conversation);
    const stored = await messages.insertOnce({
      ...head,
      direction: echo ? 'outbound' : 'inbound',
      channel: ref.channel,
      kind: message.kind === 'page_echo' ? 'page_echo' : message.kind,
      ...(message.text !== undefined ? { text: deps.fields.seal(message.text, messageTextContext(head)) } : {}),
      attachments: message.attachments.map((attachment, index) => ({
        type: attachment.type,
        ...(attachment.contentType ? { contentType: attachment.contentType } : {}),
        ...(attachment.url ? { url: deps.fields.seal(attachment.url, attachmentUrlContext(head, index)) } : {}),
      })),
      providerMessageId: message.providerMessageId,
      status: echo ? 'sent' : 'received',
      statusHistory: [{ status: echo ? 'sent' : 'received', at: receivedAt }],
      ordinal,
      createdAt: receivedAt,
    });
    if (stored.outcome === 'taken') return false;
    const messageCount = await countWith(ref, stored, ordinal);
    // Only a conversation not stored yet needs its document (and the consumer's address sealed for it).
    await conversations.recordMessage(ref.conversationId, receivedAt, echo ? 'outbound' : 'inbound', messageCount, conversation ? undefined : opening(ref, new Date(openedAt)));
    await published(ref, id, echo ? 'outbound' : 'inbound', conversation);
    return true;
  };

  return {
    async recordInboundMessage(input: { conversation: ConversationRef; message: InboundMessage; openedAt: string }) {
      return { recorded: await recordInbound(input.conversation, input.message, input.openedAt) };
    },

    /** Several messages that queued, in arrival order, in one activity (one Temporal round trip); each as above. */
    async recordInboundMessages(input: { conversation: ConversationRef; messages: InboundMessage[]; openedAt: string }) {
      const recorded: boolean[] = [];
      for (const message of input.messages) recorded.push(await recordInbound(input.conversation, message, input.openedAt));
      return { recorded };
    },

    /** Stores an agent's (or the system's) message as `pending` before delivery; idempotent by message id. */
    async recordOutboundMessage(input: { conversation: ConversationRef; messageId: string; text: string; kind: 'agent' | 'system'; agentId?: string }) {
      const { conversation: ref } = input;
      const now = new Date();
      const head = newMessage(input.messageId, ref);
      const conversation = await current(ref);
      const ordinal = ordinalAfter(conversation);
      const stored = await messages.insertOnce({
        ...head,
        direction: 'outbound',
        channel: ref.channel,
        kind: input.kind === 'system' ? 'system' : 'text',
        text: deps.fields.seal(input.text, messageTextContext(head)),
        attachments: [],
        status: 'pending',
        statusHistory: [{ status: 'pending', at: now }],
        ...(input.agentId ? { agentId: input.agentId } : {}),
        ordinal,
        createdAt: now,
      });
      // An id held elsewhere (another conversation, another brand) is refused, never shared: 409 message_id_taken.
      if (stored.outcome === 'taken' || (stored.outcome === 'exists' && stored.message.direction !== 'outbound')) {
        throw ApplicationFailure.nonRetryable('Another message already has this id', 'InvalidRecord');
      }
      const at = stored.outcome === 'exists' ? stored.message.createdAt : now;
      await conversations.recordMessage(ref.conversationId, at, 'outbound', await countWith(ref, stored, ordinal));
      await published(ref, input.messageId, 'outbound', conversation);
    },

    /** An agent's internal note (e.g. with a transfer): in the transcript, never sent to the consumer. */
    async recordNote(input: { conversation: ConversationRef; messageId: string; text: string; agentId?: string }) {
      const now = new Date();
      const head = newMessage(input.messageId, input.conversation);
      await messages.insertOnce({
        ...head,
        direction: 'internal',
        channel: input.conversation.channel,
        kind: 'note',
        text: deps.fields.seal(input.text, messageTextContext(head)),
        attachments: [],
        status: 'received',
        statusHistory: [{ status: 'received', at: now }],
        ...(input.agentId ? { agentId: input.agentId } : {}),
        createdAt: now,
      });
      await published(input.conversation, input.messageId, 'internal', null);
    },

    async closeConversation(input: { conversation: ConversationRef; reason: string; closedBy?: string; at: string }) {
      await conversations.close(input.conversation.conversationId, { at: new Date(input.at), reason: input.reason, by: input.closedBy });
    },
  };
}
