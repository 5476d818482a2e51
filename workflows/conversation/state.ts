import { uuid4, workflowInfo } from '@temporalio/workflow';
import type {
  CarriedState, ConversationInput, ConversationRef, ConversationState, InboundMessage, OutboundStatus,
} from './definitions.js';

const SEEN_LIMIT = 500;
const RECENT_LIMIT = 50;

export type WorkingState = CarriedState & {
  status: 'open' | 'closed';
  closeReason?: string;
  closedBy?: string;
  /** What the consumer wrote after a close: their next conversation. */
  nextInbox: InboundMessage[];
  reopenable: boolean;
  /** Closed by an agent or by inactivity, close not yet recorded. */
  closing: boolean;
  /** Assignment changes waiting to be recorded by the main loop. */
  pendingChanges: { kind: 'assigned'; agentId: string; by: 'router' | 'accept' }[];
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
    status: 'open',
    nextInbox: [],
    reopenable: false,
    closing: false,
    pendingChanges: [],
  };
  return { ref, state };
}

export function snapshot(ref: ConversationRef, state: WorkingState): ConversationState {
  return {
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
    agentId: state.agentId,
    queueId: ref.queueId,
    reopenable: state.reopenable,
  };
}

export function carry(ref: ConversationRef, state: WorkingState): CarriedState {
  return {
    conversationId: ref.conversationId, opened: state.opened, openedAt: state.openedAt, lastInboundAt: state.lastInboundAt,
    lastActivityAt: state.lastActivityAt, optedOut: state.optedOut, messageCount: state.messageCount, inbox: state.inbox,
    outbox: state.outbox, seen: state.seen, recentOutbound: state.recentOutbound, agentId: state.agentId, queueId: ref.queueId,
  };
}

export function remember(state: WorkingState, providerMessageId: string): void {
  state.seen.push(providerMessageId);
  if (state.seen.length > SEEN_LIMIT) state.seen.splice(0, state.seen.length - SEEN_LIMIT);
}

export function trackOutbound(state: WorkingState, messageId: string, status: OutboundStatus, failure?: { code: string; reason: string }): void {
  const existing = state.recentOutbound.find((item) => item.messageId === messageId);
  if (existing) Object.assign(existing, { status, ...(failure ? { failure } : {}) });
  else state.recentOutbound.push({ messageId, status, ...(failure ? { failure } : {}) });
  if (state.recentOutbound.length > RECENT_LIMIT) state.recentOutbound.shift();
}
