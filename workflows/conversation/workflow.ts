import { allHandlersFinished, condition, continueAsNew, patched, setHandler, upsertSearchAttributes, uuid4, workflowInfo } from '@temporalio/workflow';
import { SearchAttributes } from '../../temporal/search-attributes.js';
import { records, routing } from './activity-options.js';
import { registerAgentActions } from './agent-actions.js';
import {
  conversationStateQuery, deliveryStatusSignal, inboundMessageSignal, type ConversationInput, type ConversationState, type InboundMessage,
} from './definitions.js';
import { assignmentLane, inboundLane } from './inbound-lane.js';
import { registerMessageActions } from './message-actions.js';
import { outboundLane } from './outbound-lane.js';
import { carry, carryToNext, initialState, snapshot, trackOutbound } from './state.js';

const HISTORY_LIMIT = 4_000;
const DEFAULT_REOPEN_WINDOW_MS = 60 * 60 * 1000;

/**
 * One consumer on one entry point: their conversations one after another, as a state machine
 * (open → closing → closed, reopenable for a while → open again or the next conversation) run by the
 * control loop below, beside independent lanes that record inbound messages, deliver replies and record
 * assignments. Every exit goes through handOver(): lanes settle, handlers finish, everything queued is carried.
 */
export async function conversationWorkflow(input: ConversationInput): Promise<ConversationState | undefined> {
  const { ref, state } = initialState(input);
  const now = () => new Date().toISOString();
  const touch = () => void (state.lastActivityAt = now());
  // One writer at a time for the conversation's document (see inbound-lane.ts: FerretDB updates are not atomic).
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(step: () => Promise<T>): Promise<T> => {
    const run = tail.then(step);
    tail = run.catch(() => undefined);
    return run;
  };
  // Message records joined the one-writer chain after histories were recorded: patched() keeps those replaying.
  const recordSerially = <T>(step: () => Promise<T>): Promise<T> => (patched('serial-message-records') ? serial(step) : step());

  setHandler(inboundMessageSignal, (message: InboundMessage) => {
    const known = (list: InboundMessage[]) => list.some((m) => m.providerMessageId === message.providerMessageId);
    if (state.seen.includes(message.providerMessageId) || known(state.inbox) || known(state.nextInbox)) return;
    // The Messenger window belongs to the person, not the conversation: replies validated from now on see this message.
    if (message.kind !== 'page_echo' && (!state.lastInboundAt || message.receivedAt > state.lastInboundAt)) state.lastInboundAt = message.receivedAt;
    if (state.phase === 'open') state.inbox.push(message);
    else state.nextInbox.push(message);
  });
  setHandler(deliveryStatusSignal, (event) => {
    if (state.recentOutbound.some((item) => item.messageId === event.messageId)) trackOutbound(state, event.messageId, event.status, { failure: event.failure });
  });
  setHandler(conversationStateQuery, () => snapshot(ref, state));
  registerAgentActions({ ref, state, records, routing, serial, recordSerially, touch });
  registerMessageActions({ ref, state, records });

  upsertSearchAttributes([
    { key: SearchAttributes.BrandId, value: ref.brandId },
    { key: SearchAttributes.Channel, value: ref.channel },
    { key: SearchAttributes.EntryPoint, value: ref.entryPointId },
    { key: SearchAttributes.QueueId, value: ref.queueId },
    { key: SearchAttributes.ConversationState, value: 'open' },
  ]);

  const startLanes = () => [
    inboundLane({ ref, state, input, records, routing, serial, recordSerially, touch }),
    outboundLane({ ref, state, input, records, touch }),
    assignmentLane({ ref, state, routing, serial }),
  ];
  let lanes = startLanes();

  const historyLong = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (input.continueAsNewAfterEvents ?? HISTORY_LIMIT);
  const quiet = () =>
    state.inbox.length === 0 && state.nextInbox.length === 0 && state.outbox.length === 0 && state.pendingChanges.length === 0 &&
    !state.busy.inbound && !state.busy.outbound && !state.busy.changes;

  /**
   * The one exit: lanes finish their current step, handlers finish, then the run continues as new with
   * everything still queued ('same': this conversation; 'next': the consumer's next one) or, with nothing
   * left, ends. A close asked meanwhile calls the exit off (false).
   */
  const handOver = async (to: 'same' | 'next' | 'end'): Promise<boolean> => {
    state.exiting = true;
    await Promise.all(lanes);
    await condition(() => allHandlersFinished() || !!state.closeRequest);
    if (state.closeRequest) {
      state.exiting = false;
      lanes = startLanes();
      return false;
    }
    if (to === 'end' && quiet()) return true;
    await continueAsNew<typeof conversationWorkflow>({ ...input, carried: to === 'same' ? carry(ref, state) : carryToNext(state) });
    return true;
  };

  const recordClose = async () => {
    const close = state.closeRequest!;
    state.phase = 'closing';
    state.closeReason = close.reason;
    state.closedBy = close.closedBy;
    // The transcript of a conversation is complete before it is closed.
    await condition(() => state.inbox.length === 0 && !state.busy.inbound && state.pendingChanges.length === 0 && !state.busy.changes);
    await serial(async () => {
      await records.closeConversation({ conversation: ref, reason: close.reason, closedBy: close.closedBy, at: now() });
      upsertSearchAttributes([{ key: SearchAttributes.ConversationState, value: 'closed' }]);
      await routing.recordConversationChange({ conversation: ref, change: { kind: 'closed', reason: close.reason, by: close.closedBy }, key: `${ref.conversationId}:closed:${uuid4()}`, at: now() });
      await routing.notifyRouter({ brandId: ref.brandId, notice: { kind: 'released', conversationId: ref.conversationId } });
    });
    state.closeRequest = undefined;
    state.phase = 'closed';
  };

  const reopen = async () => {
    const request = state.reopenRequest!;
    await serial(async () => {
      state.phase = 'open';
      state.reopenable = false;
      state.closeReason = undefined;
      state.closedBy = undefined;
      if (request.agentId) state.agentId = request.agentId;
      // What the consumer wrote since the close belongs to the reopened conversation.
      state.inbox.push(...state.nextInbox.splice(0));
      touch();
      upsertSearchAttributes([{ key: SearchAttributes.ConversationState, value: 'open' }]);
      const notice = state.agentId
        ? { kind: 'held' as const, conversationId: ref.conversationId, agentId: state.agentId }
        : { kind: 'waiting' as const, item: { conversationId: ref.conversationId, workflowId: ref.workflowId, queueId: ref.queueId, arrivedAt: now() } };
      await routing.notifyRouter({ brandId: ref.brandId, notice });
      await routing.recordConversationChange({ conversation: ref, change: { kind: 'reopened', agentId: state.agentId }, key: `${ref.conversationId}:reopened:${uuid4()}`, at: now() });
    });
    state.reopenRequest = undefined;
  };

  for (;;) {
    if (!state.opened) {
      // Nothing recorded yet: the consumer's next conversation starting, or replies left by earlier ones.
      await condition(() => state.opened || !!state.closeRequest || historyLong() || quiet());
      if (!state.opened && !state.closeRequest) {
        if (await handOver(historyLong() ? 'next' : 'end')) return undefined;
        continue;
      }
    }

    const idleFor = Date.now() - new Date(state.lastActivityAt!).getTime();
    const woke = await condition(() => !!state.closeRequest || historyLong(), Math.max(1, input.inactivityTimeoutMs - idleFor));
    if (!state.closeRequest && historyLong()) {
      await handOver('same');
      continue;
    }
    if (!woke && Date.now() - new Date(state.lastActivityAt!).getTime() >= input.inactivityTimeoutMs) state.closeRequest = { reason: 'inactivity' };
    if (!state.closeRequest) continue;
    await recordClose();

    // Closed: an agent may reopen it for a while; a new message from the consumer starts their next conversation.
    state.reopenable = true;
    await condition(() => !!state.reopenRequest || state.nextInbox.length > 0 || historyLong(), input.reopenWindowMs ?? DEFAULT_REOPEN_WINDOW_MS);
    if (state.reopenRequest) {
      await reopen();
      continue;
    }
    state.reopenable = false;
    // Replies still being delivered keep this run until they are done, unless the consumer writes again.
    await condition(() => state.nextInbox.length > 0 || historyLong() || quiet());
    if (await handOver(state.nextInbox.length > 0 || historyLong() ? 'next' : 'end')) return snapshot(ref, state);
  }
}
