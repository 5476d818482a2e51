import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { ConversationActivities } from '../../activities/conversations/index.js';
import { SearchAttributes } from '../../temporal/search-attributes.js';
import {
  closeUpdate,
  conversationStateQuery,
  deliveryStatusSignal,
  inboundMessageSignal,
  maxTextLength,
  RejectionType,
  replyUpdate,
  type CarriedState,
  type ConversationInput,
  type ConversationRef,
  type ConversationState,
  type InboundMessage,
  type OutboundItem,
  type OutboundStatus,
  type ReplyInput,
} from './definitions.js';
import { messengerWindow } from './messaging-window.js';

const records = proxyActivities<ConversationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});
const delivery = proxyActivities<ConversationActivities>({
  startToCloseTimeout: '45 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 8, nonRetryableErrorTypes: ['DeliveryRejected'] },
});

const HISTORY_LIMIT = 4_000;
const SEEN_LIMIT = 500;
const RECENT_LIMIT = 50;

/** One conversation between a consumer and a brand on one entry point. */
export async function conversationWorkflow(input: ConversationInput): Promise<ConversationState> {
  const carried: CarriedState = input.carried ?? {
    opened: false, optedOut: false, messageCount: 0, inbox: [], outbox: [], seen: [], recentOutbound: [],
  };
  const now = () => new Date().toISOString();
  const ref: ConversationRef = {
    conversationId: carried.conversationId ?? uuid4(),
    workflowId: workflowInfo().workflowId,
    brandId: input.brandId,
    channel: input.channel,
    channelId: input.channelId,
    entryPointId: input.entryPointId,
    queueId: input.queueId,
    consumer: input.consumer,
  };
  const state: CarriedState & { status: 'open' | 'closed'; closeReason?: string; closedBy?: string; nextInbox: InboundMessage[] } = {
    ...carried,
    nextInbox: [],
    conversationId: ref.conversationId,
    lastActivityAt: carried.lastActivityAt ?? now(),
    status: 'open',
  };
  const snapshot = (): ConversationState => ({
    conversationId: ref.conversationId,
    status: state.status,
    brandId: ref.brandId,
    channel: ref.channel,
    openedAt: state.openedAt,
    lastInboundAt: state.lastInboundAt,
    lastActivityAt: state.lastActivityAt!,
    optedOut: state.optedOut,
    messageCount: state.messageCount,
    pendingDeliveries: state.outbox.length,
    recentOutbound: state.recentOutbound,
    closeReason: state.closeReason,
  });
  const remember = (id: string) => {
    state.seen.push(id);
    if (state.seen.length > SEEN_LIMIT) state.seen.splice(0, state.seen.length - SEEN_LIMIT);
  };
  const trackOutbound = (messageId: string, status: ConversationState['recentOutbound'][number]['status'], failure?: { code: string; reason: string }) => {
    const existing = state.recentOutbound.find((item) => item.messageId === messageId);
    if (existing) Object.assign(existing, { status, ...(failure ? { failure } : {}) });
    else state.recentOutbound.push({ messageId, status, ...(failure ? { failure } : {}) });
    if (state.recentOutbound.length > RECENT_LIMIT) state.recentOutbound.shift();
  };
  const assertSameOpenConversation = (conversationId: string) => {
    if (conversationId !== ref.conversationId || state.status !== 'open') {
      throw ApplicationFailure.nonRetryable('This conversation is closed', RejectionType.conversationClosed);
    }
  };

  setHandler(inboundMessageSignal, (message: InboundMessage) => {
    const known = (list: InboundMessage[]) => list.some((m) => m.providerMessageId === message.providerMessageId);
    if (state.seen.includes(message.providerMessageId) || known(state.inbox) || known(state.nextInbox)) return;
    // After a close, what the consumer writes belongs to their next conversation.
    if (state.status === 'closed') return void state.nextInbox.push(message);
    state.inbox.push(message);
    // Known to the workflow now: replies validated from here on see the person's latest message.
    if (message.kind !== 'page_echo' && (!state.lastInboundAt || message.receivedAt > state.lastInboundAt)) state.lastInboundAt = message.receivedAt;
  });
  setHandler(deliveryStatusSignal, (event) => {
    if (state.recentOutbound.some((item) => item.messageId === event.messageId)) trackOutbound(event.messageId, event.status, event.failure);
  });
  setHandler(conversationStateQuery, snapshot);

  setHandler(
    replyUpdate,
    async (reply: ReplyInput) => {
      await records.recordOutboundMessage({ conversation: ref, messageId: reply.messageId, text: reply.text, agentId: reply.agentId, kind: 'agent' });
      state.outbox.push({ messageId: reply.messageId, text: reply.text, kind: 'agent', agentId: reply.agentId });
      trackOutbound(reply.messageId, 'pending');
      state.lastActivityAt = now();
      // Added after histories were recorded: patched() keeps those replaying.
      if (reply.agentId && patched('agent-search-attribute')) upsertSearchAttributes([{ key: SearchAttributes.AgentId, value: reply.agentId }]);
      return { messageId: reply.messageId, status: 'pending' as const };
    },
    {
      validator: (reply: ReplyInput) => {
        assertSameOpenConversation(reply.conversationId);
        const text = reply.text?.trim() ?? '';
        if (!text) throw ApplicationFailure.nonRetryable('A reply needs text', RejectionType.invalidReply);
        if (text.length > maxTextLength[ref.channel]) {
          throw ApplicationFailure.nonRetryable(`A ${ref.channel} reply is at most ${maxTextLength[ref.channel]} characters`, RejectionType.invalidReply);
        }
        if (state.recentOutbound.some((item) => item.messageId === reply.messageId)) {
          throw ApplicationFailure.nonRetryable('A message with this id was already sent in this conversation', RejectionType.invalidReply);
        }
        if (ref.channel === 'sms' && state.optedOut) {
          throw ApplicationFailure.nonRetryable('The consumer opted out (STOP) of messages from this number; they must text START first', RejectionType.optedOut);
        }
        if (ref.channel === 'messenger') {
          const window = messengerWindow(state.lastInboundAt, new Date());
          if (!window.allowed) throw ApplicationFailure.nonRetryable(window.reason, RejectionType.outsideWindow);
        }
      },
    },
  );

  setHandler(
    closeUpdate,
    (close) => {
      state.status = 'closed';
      state.closeReason = close.reason ?? 'closed_by_agent';
      state.closedBy = close.closedBy;
      return snapshot();
    },
    { validator: (close) => assertSameOpenConversation(close.conversationId) },
  );

  upsertSearchAttributes([
    { key: SearchAttributes.BrandId, value: ref.brandId },
    { key: SearchAttributes.Channel, value: ref.channel },
    { key: SearchAttributes.EntryPoint, value: ref.entryPointId },
    { key: SearchAttributes.QueueId, value: ref.queueId },
    { key: SearchAttributes.ConversationState, value: 'open' },
  ]);

  const handleInbound = async (message: InboundMessage) => {
    remember(message.providerMessageId);
    const openedAt = state.openedAt ?? message.receivedAt;
    const { inserted } = await records.recordInboundMessage({ conversation: ref, message, openedAt });
    if (!inserted) return;
    state.opened = true;
    state.openedAt = openedAt;
    state.messageCount++;
    state.lastActivityAt = now();
    if (message.kind === 'page_echo') return;
    if (ref.channel !== 'sms' || !message.keyword) return;
    if (message.keyword === 'help') {
      const help: OutboundItem = { messageId: `msg_${uuid4()}`, text: input.helpText, kind: 'system' };
      await records.recordOutboundMessage({ conversation: ref, ...help });
      state.outbox.push(help);
      trackOutbound(help.messageId, 'pending');
      return;
    }
    state.optedOut = message.keyword === 'stop';
    await records.setOptOut({ conversation: ref, optedOut: state.optedOut, keyword: message.keyword, at: message.receivedAt });
  };

  const deliver = async (item: OutboundItem) => {
    try {
      const sent = await delivery.deliverMessage({ conversation: ref, messageId: item.messageId, lastInboundAt: state.lastInboundAt });
      trackOutbound(item.messageId, sent.status as OutboundStatus);
    } catch (error) {
      const cause = error instanceof ActivityFailure ? error.cause : error;
      const details = cause instanceof ApplicationFailure ? (cause.details?.[0] as { code?: string; reason?: string } | undefined) : undefined;
      const failure = {
        code: details?.code ?? (cause instanceof ApplicationFailure ? (cause.type ?? 'unknown') : 'unknown'),
        reason: details?.reason ?? 'The provider did not accept the message after several attempts; try again later',
      };
      await records.markMessageFailed({ conversation: ref, messageId: item.messageId, failure });
      trackOutbound(item.messageId, 'failed', failure);
    }
    state.outbox.shift();
    state.lastActivityAt = now();
  };

  const carry = (): CarriedState => ({
    conversationId: ref.conversationId, opened: state.opened, openedAt: state.openedAt, lastInboundAt: state.lastInboundAt,
    lastActivityAt: state.lastActivityAt, optedOut: state.optedOut, messageCount: state.messageCount,
    inbox: state.inbox, outbox: state.outbox, seen: state.seen, recentOutbound: state.recentOutbound,
  });

  for (;;) {
    const idleFor = Date.now() - new Date(state.lastActivityAt!).getTime();
    const woke = await condition(
      () => state.inbox.length > 0 || state.outbox.length > 0 || state.status === 'closed' || workflowInfo().continueAsNewSuggested,
      Math.max(1, input.inactivityTimeoutMs - idleFor),
    );
    if (!woke && Date.now() - new Date(state.lastActivityAt!).getTime() >= input.inactivityTimeoutMs) {
      state.status = 'closed';
      state.closeReason = 'inactivity';
    }
    while (state.inbox.length > 0) await handleInbound(state.inbox.shift()!);
    while (state.outbox.length > 0) await deliver(state.outbox[0]!);
    // A run that only saw redeliveries of another conversation's messages holds nothing: end it.
    if (!state.opened && state.inbox.length === 0 && state.outbox.length === 0) return snapshot();
    if (state.status === 'closed') break;
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (input.continueAsNewAfterEvents ?? HISTORY_LIMIT)) {
      await condition(allHandlersFinished);
      if (state.status === 'open') await continueAsNew<typeof conversationWorkflow>({ ...input, carried: carry() });
    }
  }

  await records.closeConversation({ conversation: ref, reason: state.closeReason!, closedBy: state.closedBy, at: now() });
  upsertSearchAttributes([{ key: SearchAttributes.ConversationState, value: 'closed' }]);
  await condition(allHandlersFinished);
  // Messages that arrived after the close start the consumer's next conversation.
  const next = [...state.inbox, ...state.nextInbox];
  if (next.length > 0) {
    await continueAsNew<typeof conversationWorkflow>({
      ...input,
      carried: { opened: false, optedOut: state.optedOut, messageCount: 0, inbox: next, outbox: [], seen: state.seen, recentOutbound: [] },
    });
  }
  return snapshot();
}
