import { ActivityFailure, ApplicationFailure, log, patched, upsertSearchAttributes, uuid4 } from '@temporalio/workflow';
import type { ConversationActivities } from '../../activities/conversations/index.js';
import type { RoutingActivities } from '../../activities/routing/index.js';
import { SearchAttributes } from '../../temporal/search-attributes.js';
import type { ConversationInput, ConversationRef, InboundMessage } from './definitions.js';
import { remember, runBatchLane, runLane, trackOutbound, type WorkingState } from './state.js';

export interface InboundLaneContext {
  ref: ConversationRef;
  state: WorkingState;
  input: ConversationInput;
  records: Pick<ConversationActivities, 'recordInboundMessage' | 'recordInboundMessages' | 'recordOutboundMessage' | 'setOptOut'>;
  routing: RoutingActivities;
  /**
   * Writes to the conversation's document happen one at a time (messages and their counters, close, transfer,
   * reopen, assignments): FerretDB rewrites a whole document per update, so two at once can lose one.
   */
  serial: <T>(step: () => Promise<T>) => Promise<T>;
  /** `serial` for recording a message (its counters write the conversation's document too). */
  recordSerially: <T>(step: () => Promise<T>) => Promise<T>;
  touch: () => void;
}

/** Inbound messages recorded by one activity at most. */
const BATCH_LIMIT = 10;

const changeKey = (ref: ConversationRef, kind: string) => `${ref.conversationId}:${kind}:${uuid4()}`;

/** A failure retrying cannot fix: logged and counted, so it never wedges the conversation silently. */
function isPermanent(error: unknown): boolean {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  return cause instanceof ApplicationFailure && cause.nonRetryable === true;
}

/**
 * Records what the consumer writes, in arrival order, independently of deliveries: a reply waiting out a
 * provider outage never holds back the next inbound message.
 */
export function inboundLane(ctx: InboundLaneContext): Promise<void> {
  const { ref, state, records, routing } = ctx;

  /** What follows a recorded message: the conversation's state, its first routing, SMS keywords. */
  const afterRecorded = async (message: InboundMessage, openedAt: string) => {
    const firstMessage = !state.opened;
    state.opened = true;
    state.openedAt = openedAt;
    state.messageCount++;
    ctx.touch();
    if (message.kind !== 'page_echo' && (!state.lastInboundAt || message.receivedAt > state.lastInboundAt)) state.lastInboundAt = message.receivedAt;
    if (firstMessage && !state.agentId) {
      await ctx.serial(async () => {
        // Router first: once the queue view shows the conversation, accepting it must work.
        await routing.notifyRouter({
          brandId: ref.brandId,
          notice: { kind: 'waiting', item: { conversationId: ref.conversationId, workflowId: ref.workflowId, queueId: ref.queueId, arrivedAt: openedAt } },
        });
        await routing.recordConversationChange({ conversation: ref, change: { kind: 'waiting', queueId: ref.queueId }, key: changeKey(ref, 'waiting'), at: new Date().toISOString() });
      });
    }
    if (message.kind === 'page_echo' || ref.channel !== 'sms' || !message.keyword) return;
    if (message.keyword === 'help') {
      const messageId = `msg_${uuid4()}`;
      await ctx.recordSerially(() => records.recordOutboundMessage({ conversation: ref, messageId, text: ctx.input.helpText, kind: 'system' }));
      state.outbox.push({ messageId, conversationId: ref.conversationId, attempts: 0 });
      trackOutbound(state, messageId, 'pending');
      return;
    }
    state.optedOut = message.keyword === 'stop';
    await records.setOptOut({ conversation: ref, optedOut: state.optedOut, keyword: message.keyword, at: message.receivedAt });
  };

  /** Records `messages` (one or several, in arrival order) in one activity; false for one another conversation holds. */
  const record = async (messages: InboundMessage[]) => {
    for (const message of messages) remember(state, message.providerMessageId);
    const openedAt = state.openedAt ?? messages[0]!.receivedAt;
    // Resumes after a retried attempt that stored some and then failed.
    const recorded = messages.length === 1
      ? [(await ctx.recordSerially(() => records.recordInboundMessage({ conversation: ref, message: messages[0]!, openedAt }))).recorded]
      : (await ctx.recordSerially(() => records.recordInboundMessages({ conversation: ref, messages, openedAt }))).recorded;
    for (const [index, message] of messages.entries()) if (recorded[index]) await afterRecorded(message, openedAt);
  };

  const recordOrGiveUp = async (messages: InboundMessage[]) => {
    try {
      await record(messages);
    } catch (error) {
      // Record activities retry until they succeed unless the failure is permanent (see activity-options.ts).
      state.failedInbound.push(...messages.map((message) => message.providerMessageId));
      log.error('Inbound messages could not be recorded; the conversation goes on without them', {
        conversationId: ref.conversationId, providerMessageIds: messages.map((message) => message.providerMessageId), permanent: isPermanent(error), error: (error as Error).message,
      });
    }
  };

  // Messages that queued while the previous one was recorded go in one activity (one Temporal round trip for all), up to a
  // keyword: what a keyword does (HELP's answer, an opt-out) still comes right after its message. Histories recorded before
  // batching replay one message per activity.
  if (patched('batch-inbound-records')) return runBatchLane(state, 'inbound', () => state.inbox, batchOf, recordOrGiveUp);
  return runLane(state, 'inbound', () => state.inbox, (message) => recordOrGiveUp([message]));
}

/** Messages that queued: up to BATCH_LIMIT, up to and including the first SMS keyword. */
function batchOf(queued: InboundMessage[]): number {
  const keyword = queued.findIndex((message) => message.kind !== 'page_echo' && message.keyword);
  return Math.min(BATCH_LIMIT, keyword < 0 ? queued.length : keyword + 1);
}

/** Records assignments from the router, in order, so that agents see them in the conversation. */
export function assignmentLane(ctx: Pick<InboundLaneContext, 'ref' | 'state' | 'routing' | 'serial'>): Promise<void> {
  const { ref, state } = ctx;
  return runLane(state, 'changes', () => state.pendingChanges, (assigned) =>
    ctx.serial(async () => {
      upsertSearchAttributes([{ key: SearchAttributes.AgentId, value: assigned.agentId }]);
      await ctx.routing.recordConversationChange({ conversation: ref, change: assigned, key: changeKey(ref, 'assigned'), at: new Date().toISOString() });
    }),
  );
}
