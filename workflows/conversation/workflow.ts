import {
  ActivityFailure, ApplicationFailure, allHandlersFinished, condition, continueAsNew, patched, proxyActivities, setHandler,
  upsertSearchAttributes, uuid4, workflowInfo,
} from '@temporalio/workflow';
import type { ConversationActivities } from '../../activities/conversations/index.js';
import type { RoutingActivities } from '../../activities/routing/index.js';
import { SearchAttributes } from '../../temporal/search-attributes.js';
import { registerAgentActions } from './agent-actions.js';
import {
  conversationStateQuery, deliveryStatusSignal, inboundMessageSignal,
  type ConversationInput, type ConversationState, type InboundMessage, type OutboundItem, type OutboundStatus,
} from './definitions.js';
import { carry, initialState, remember, snapshot, trackOutbound } from './state.js';

const retry = { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 };
const records = proxyActivities<ConversationActivities>({ startToCloseTimeout: '30 seconds', retry });
const routing = proxyActivities<RoutingActivities>({ startToCloseTimeout: '30 seconds', retry });
const delivery = proxyActivities<ConversationActivities>({
  startToCloseTimeout: '45 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 8, nonRetryableErrorTypes: ['DeliveryRejected'] },
});

const HISTORY_LIMIT = 4_000;
const DEFAULT_REOPEN_WINDOW_MS = 60 * 60 * 1000;

/** One conversation between a consumer and a brand on one entry point. */
export async function conversationWorkflow(input: ConversationInput): Promise<ConversationState> {
  const { ref, state } = initialState(input);
  const now = () => new Date().toISOString();
  const key = (kind: string) => `${ref.conversationId}:${kind}:${uuid4()}`;
  // Histories recorded before routing existed replay without it.
  let routingOn: boolean | undefined;
  const routingEnabled = () => (routingOn ??= patched('routing-v1'));

  setHandler(inboundMessageSignal, (message: InboundMessage) => {
    const known = (list: InboundMessage[]) => list.some((m) => m.providerMessageId === message.providerMessageId);
    if (state.seen.includes(message.providerMessageId) || known(state.inbox) || known(state.nextInbox)) return;
    if (state.status === 'closed') return void state.nextInbox.push(message);
    state.inbox.push(message);
    // Known to the workflow now: replies validated from here on see the person's latest message.
    if (message.kind !== 'page_echo' && (!state.lastInboundAt || message.receivedAt > state.lastInboundAt)) state.lastInboundAt = message.receivedAt;
  });
  setHandler(deliveryStatusSignal, (event) => {
    if (state.recentOutbound.some((item) => item.messageId === event.messageId)) trackOutbound(state, event.messageId, event.status, event.failure);
  });
  setHandler(conversationStateQuery, () => snapshot(ref, state));
  registerAgentActions({ ref, state, records, routing, routingEnabled });

  upsertSearchAttributes([
    { key: SearchAttributes.BrandId, value: ref.brandId },
    { key: SearchAttributes.Channel, value: ref.channel },
    { key: SearchAttributes.EntryPoint, value: ref.entryPointId },
    { key: SearchAttributes.QueueId, value: ref.queueId },
    { key: SearchAttributes.ConversationState, value: 'open' },
  ]);

  const handleInbound = async (message: InboundMessage) => {
    remember(state, message.providerMessageId);
    const openedAt = state.openedAt ?? message.receivedAt;
    const { inserted } = await records.recordInboundMessage({ conversation: ref, message, openedAt });
    if (!inserted) return;
    const firstMessage = !state.opened;
    state.opened = true;
    state.openedAt = openedAt;
    state.messageCount++;
    state.lastActivityAt = now();
    if (firstMessage && !state.agentId && routingEnabled()) {
      // Router first: once the queue view shows the conversation, accepting it must work.
      await routing.notifyRouter({
        brandId: ref.brandId,
        notice: { kind: 'waiting', item: { conversationId: ref.conversationId, workflowId: ref.workflowId, queueId: ref.queueId, arrivedAt: openedAt } },
      });
      await routing.recordConversationChange({ conversation: ref, change: { kind: 'waiting', queueId: ref.queueId }, key: key('waiting'), at: now() });
    }
    if (message.kind === 'page_echo' || ref.channel !== 'sms' || !message.keyword) return;
    if (message.keyword === 'help') {
      const help: OutboundItem = { messageId: `msg_${uuid4()}`, text: input.helpText, kind: 'system' };
      await records.recordOutboundMessage({ conversation: ref, ...help });
      state.outbox.push(help);
      trackOutbound(state, help.messageId, 'pending');
      return;
    }
    state.optedOut = message.keyword === 'stop';
    await records.setOptOut({ conversation: ref, optedOut: state.optedOut, keyword: message.keyword, at: message.receivedAt });
  };

  const deliver = async (item: OutboundItem) => {
    try {
      const sent = await delivery.deliverMessage({ conversation: ref, messageId: item.messageId, lastInboundAt: state.lastInboundAt });
      trackOutbound(state, item.messageId, sent.status as OutboundStatus);
    } catch (error) {
      const cause = error instanceof ActivityFailure ? error.cause : error;
      const details = cause instanceof ApplicationFailure ? (cause.details?.[0] as { code?: string; reason?: string } | undefined) : undefined;
      const failure = {
        code: details?.code ?? (cause instanceof ApplicationFailure ? (cause.type ?? 'unknown') : 'unknown'),
        reason: details?.reason ?? 'The provider did not accept the message after several attempts; try again later',
      };
      await records.markMessageFailed({ conversation: ref, messageId: item.messageId, failure });
      trackOutbound(state, item.messageId, 'failed', failure);
    }
    state.outbox.shift();
    state.lastActivityAt = now();
  };

  const recordAssignments = async () => {
    while (state.pendingChanges.length > 0) {
      const assigned = state.pendingChanges.shift()!;
      upsertSearchAttributes([{ key: SearchAttributes.AgentId, value: assigned.agentId }]);
      await routing.recordConversationChange({ conversation: ref, change: assigned, key: key('assigned'), at: now() });
    }
  };

  const startNextConversation = async () => {
    const next = [...state.inbox, ...state.nextInbox];
    if (next.length === 0) return;
    await condition(allHandlersFinished);
    await continueAsNew<typeof conversationWorkflow>({
      ...input,
      carried: { opened: false, optedOut: state.optedOut, messageCount: 0, inbox: next, outbox: [], seen: state.seen, recentOutbound: [] },
    });
  };

  for (;;) {
    // Open: receive, deliver, record assignments until closed or idle too long.
    for (;;) {
      const idleFor = Date.now() - new Date(state.lastActivityAt!).getTime();
      const woke = await condition(
        () => state.inbox.length > 0 || state.outbox.length > 0 || state.pendingChanges.length > 0 || state.status === 'closed' || workflowInfo().continueAsNewSuggested,
        Math.max(1, input.inactivityTimeoutMs - idleFor),
      );
      if (!woke && Date.now() - new Date(state.lastActivityAt!).getTime() >= input.inactivityTimeoutMs) {
        state.status = 'closed';
        state.closing = true;
        state.closeReason = 'inactivity';
      }
      while (state.inbox.length > 0) await handleInbound(state.inbox.shift()!);
      await recordAssignments();
      while (state.outbox.length > 0) await deliver(state.outbox[0]!);
      // A run that only saw redeliveries of another conversation's messages holds nothing: end it.
      if (!state.opened && state.inbox.length === 0 && state.outbox.length === 0) return snapshot(ref, state);
      if (state.status === 'closed') break;
      if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (input.continueAsNewAfterEvents ?? HISTORY_LIMIT)) {
        await condition(allHandlersFinished);
        if (state.status === 'open') await continueAsNew<typeof conversationWorkflow>({ ...input, carried: carry(ref, state) });
      }
    }

    await records.closeConversation({ conversation: ref, reason: state.closeReason!, closedBy: state.closedBy, at: now() });
    upsertSearchAttributes([{ key: SearchAttributes.ConversationState, value: 'closed' }]);
    if (routingEnabled()) {
      await routing.recordConversationChange({
        conversation: ref, change: { kind: 'closed', reason: state.closeReason!, by: state.closedBy }, key: key('closed'), at: now(),
      });
      await routing.notifyRouter({ brandId: ref.brandId, notice: { kind: 'released', conversationId: ref.conversationId } });
    }
    const reopenWindow = patched('reopen-window');
    state.closing = false;
    if (!reopenWindow) await startNextConversation();
    if (!reopenWindow) break;
    // Closed, but an agent may reopen it for a while; a new message from the consumer starts their next conversation.
    state.reopenable = true;
    if (state.nextInbox.length > 0) {
      state.reopenable = false;
      await startNextConversation();
    }
    await condition(() => state.status === 'open' || state.nextInbox.length > 0, input.reopenWindowMs ?? DEFAULT_REOPEN_WINDOW_MS);
    state.reopenable = false;
    if ((state.status as string) !== 'open') {
      await startNextConversation();
      break;
    }
  }
  await condition(allHandlersFinished);
  return snapshot(ref, state);
}
