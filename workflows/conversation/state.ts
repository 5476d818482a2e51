import { condition, uuid4, workflowInfo } from '@temporalio/workflow';
import type {
  CarriedState, CloseInput, ConversationInput, ConversationRef, ConversationState, InboundMessage, OutboundStatus, PendingAssignment,
  ReopenInput,
} from './definitions.js';

const SEEN_LIMIT = 500;
const RECENT_LIMIT = 50;

/**
 * open → closing (close being recorded) → closed (reopenable for a while) → open again, or the next run.
 * Only the control loop in workflow.ts moves between phases; handlers ask it and wait for the outcome.
 */
export type Phase = 'open' | 'closing' | 'closed';

export type WorkingState = Omit<CarriedState, 'pendingChanges' | 'failedInbound'> & {
  phase: Phase;
  closeReason?: string;
  closedBy?: string;
  /** What the consumer wrote after a close: their next conversation (or this one, if an agent reopens it). */
  nextInbox: InboundMessage[];
  reopenable: boolean;
  /** Asked by the close update; the control loop records the close. */
  closeRequest?: Required<Pick<CloseInput, 'reason'>> & Pick<CloseInput, 'closedBy'>;
  /** Asked by the reopen update; the control loop reopens. */
  reopenRequest?: ReopenInput;
  /** Set once this run is handing over (continue-as-new or end): lanes finish their current step and stop. */
  exiting: boolean;
  pendingChanges: PendingAssignment[];
  failedInbound: string[];
  /** Lanes at work right now (an exit waits for them to settle). */
  busy: { inbound: boolean; outbound: boolean; changes: boolean };
};

export function initialState(input: ConversationInput): { ref: ConversationRef; state: WorkingState } {
  const carried: CarriedState = input.carried ?? {
    opened: false, optedOut: false, messageCount: 0, inbox: [], outbox: [], seen: [], recentOutbound: [],
  };
  const ref: ConversationRef = {
    conversationId: carried.conversationId ?? uuid4(),
    workflowId: workflowInfo().workflowId,
    brandId: input.brandId,
    channel: input.channel,
    channelId: input.channelId,
    entryPointId: input.entryPointId,
    queueId: carried.queueId ?? input.queueId,
    consumer: input.consumer,
  };
  const state: WorkingState = {
    ...carried,
    conversationId: ref.conversationId,
    lastActivityAt: carried.lastActivityAt ?? new Date().toISOString(),
    phase: 'open',
    nextInbox: [],
    reopenable: false,
    exiting: false,
    pendingChanges: carried.pendingChanges ?? [],
    failedInbound: carried.failedInbound ?? [],
    busy: { inbound: false, outbound: false, changes: false },
  };
  return { ref, state };
}

export function snapshot(ref: ConversationRef, state: WorkingState): ConversationState {
  return {
    conversationId: ref.conversationId,
    status: state.phase === 'open' ? 'open' : 'closed',
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
    agentId: state.agentId,
    queueId: ref.queueId,
    reopenable: state.reopenable,
    failedInbound: state.failedInbound.length,
  };
}

/** Everything the same conversation needs in its next run (continue-as-new for history size). */
export function carry(ref: ConversationRef, state: WorkingState): CarriedState {
  return {
    conversationId: ref.conversationId, opened: state.opened, openedAt: state.openedAt, lastInboundAt: state.lastInboundAt,
    lastActivityAt: state.lastActivityAt, optedOut: state.optedOut, messageCount: state.messageCount, inbox: state.inbox,
    outbox: state.outbox, seen: state.seen, recentOutbound: state.recentOutbound, agentId: state.agentId, queueId: ref.queueId,
    pendingChanges: state.pendingChanges, failedInbound: state.failedInbound,
  };
}

/** What the consumer's next conversation inherits: their messages, replies still being delivered, opt-out and window. */
export function carryToNext(state: WorkingState): CarriedState {
  return {
    opened: false, optedOut: state.optedOut, messageCount: 0, lastInboundAt: state.lastInboundAt,
    inbox: [...state.inbox, ...state.nextInbox], outbox: state.outbox, seen: state.seen, recentOutbound: [],
  };
}

export function remember(state: WorkingState, providerMessageId: string): void {
  state.seen.push(providerMessageId);
  if (state.seen.length > SEEN_LIMIT) state.seen.splice(0, state.seen.length - SEEN_LIMIT);
}

export function trackOutbound(
  state: Pick<WorkingState, 'recentOutbound'>,
  messageId: string,
  status: OutboundStatus,
  extra: { failure?: { code: string; reason: string }; attempts?: number; nextAttemptAt?: string } = {},
): void {
  const existing = state.recentOutbound.find((item) => item.messageId === messageId);
  const update = { status, ...extra };
  if (status !== 'retrying') Object.assign(update, { nextAttemptAt: undefined });
  if (!['retrying', 'failed', 'undelivered'].includes(status)) Object.assign(update, { failure: undefined });
  if (existing) Object.assign(existing, update);
  else state.recentOutbound.push({ messageId, ...update });
  if (state.recentOutbound.length > RECENT_LIMIT) state.recentOutbound.shift();
}

/**
 * A lane: works through its queue one head at a time until the run exits. The head leaves the queue only
 * once its step is done (so an exit mid-step carries it); a step answering false stops the lane and keeps it.
 */
export async function runLane<T>(
  state: WorkingState,
  lane: keyof WorkingState['busy'],
  queue: () => T[],
  step: (head: T) => Promise<boolean | void>,
): Promise<void> {
  for (;;) {
    await condition(() => queue().length > 0 || state.exiting);
    if (state.exiting) return;
    state.busy[lane] = true;
    const done = await step(queue()[0]!);
    state.busy[lane] = false;
    if (done === false) return;
    queue().shift();
  }
}

/**
 * `runLane` for several heads at once: `take` says how many of the queue go in one step (at least 1). They
 * leave the queue only once the step is done, so an exit mid-step carries all of them.
 */
export async function runBatchLane<T>(
  state: WorkingState,
  lane: keyof WorkingState['busy'],
  queue: () => T[],
  take: (queued: T[]) => number,
  step: (heads: T[]) => Promise<void>,
): Promise<void> {
  for (;;) {
    await condition(() => queue().length > 0 || state.exiting);
    if (state.exiting) return;
    state.busy[lane] = true;
    const heads = queue().slice(0, Math.max(1, take(queue())));
    await step(heads);
    state.busy[lane] = false;
    queue().splice(0, heads.length);
  }
}
