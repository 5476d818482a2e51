import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

import type { ChannelType } from '../../db/repositories/conversations.js';

export type { ChannelType };
export type SmsKeyword = 'stop' | 'start' | 'help';
export type OutboundStatus = 'pending' | 'retrying' | 'queued' | 'sent' | 'delivered' | 'read' | 'undelivered' | 'failed' | 'canceled';

/** Who the conversation is with and through what; fixed for the conversation's life. */
export interface ConversationRef {
  conversationId: string;
  workflowId: string;
  brandId: string;
  channel: ChannelType;
  channelId: string;
  entryPointId: string;
  queueId: string;
  /** The address is consumer data: it travels only inside encrypted payloads. */
  consumer: { address: string; pseudonym: string };
}

export interface InboundMessage {
  providerMessageId: string;
  /** `page_echo`: someone answered from the Facebook Page inbox, outside Switchboard. */
  kind: 'text' | 'postback' | 'page_echo';
  /** Already masked (card numbers, SSNs) at the webhook. */
  text?: string;
  attachments: { type: string; url?: string; contentType?: string }[];
  receivedAt: string;
  keyword?: SmsKeyword;
}

export interface DeliveryStatusEvent {
  messageId: string;
  status: OutboundStatus;
  at: string;
  failure?: { code: string; reason: string };
}

/** Where a conversation runs: everything in ConversationRef that does not change between conversations. */
export interface ConversationInput extends Omit<ConversationRef, 'conversationId' | 'workflowId'> {
  inactivityTimeoutMs: number;
  helpText: string;
  /** How long after a close an agent may reopen the conversation (default 60 min). */
  reopenWindowMs?: number;
  /** Continue-as-new once history has this many events (default 4,000; Temporal's hard limit is 51,200). */
  continueAsNewAfterEvents?: number;
  /** How long and how often replies are retried while the provider fails (defaults: deliveryDefaults). */
  delivery?: DeliveryPolicy;
  /** Set by continue-as-new. */
  carried?: CarriedState;
}

/** Replies wait out provider outages durably: exponential backoff up to a horizon, then a true failure. */
export interface DeliveryPolicy {
  initialRetryMs: number;
  maxRetryMs: number;
  /** Give up this long after the first attempt (Messenger is also bounded by its messaging window). */
  horizonMs: number;
}

/** A reply waiting for delivery: ids only (the text is in the transcript), with its retry progress. */
export interface OutboundItem {
  messageId: string;
  /** The conversation it was written in: a reply outlives its conversation's close until it is delivered. */
  conversationId: string;
  attempts: number;
  firstAttemptAt?: string;
  nextAttemptAt?: string;
  cancelRequested?: boolean;
  /** The lane gave up on it and is recording it failed: it leaves the outbox next, so a retry must wait for that. */
  failing?: boolean;
}

export interface CarriedState {
  conversationId?: string;
  opened: boolean;
  openedAt?: string;
  lastInboundAt?: string;
  lastActivityAt?: string;
  optedOut: boolean;
  messageCount: number;
  inbox: InboundMessage[];
  outbox: OutboundItem[];
  seen: string[];
  recentOutbound: RecentOutbound[];
  agentId?: string;
  /** Set when a transfer moved the conversation to another queue. */
  queueId?: string;
  /** Assignments received but not yet recorded. */
  pendingChanges?: PendingAssignment[];
  /** Inbound messages whose recording failed for good (kept for operators; see README, failure modes). */
  failedInbound?: string[];
}

export interface PendingAssignment {
  kind: 'assigned';
  agentId: string;
  by: 'router' | 'accept';
}

export interface AssignedInput {
  conversationId: string;
  agentId: string;
  by: 'router' | 'accept';
}

export interface TransferInput {
  conversationId: string;
  /** Exactly one of toAgentId and toQueueId. */
  toAgentId?: string;
  toQueueId?: string;
  note?: string;
  byAgentId?: string;
}

export interface ReopenInput {
  conversationId: string;
  agentId?: string;
}

export interface RecentOutbound {
  messageId: string;
  status: OutboundStatus;
  failure?: { code: string; reason: string };
  /** While retrying: attempts made so far and when the next one starts. */
  attempts?: number;
  nextAttemptAt?: string;
}

export interface ConversationState {
  conversationId: string;
  status: 'open' | 'closed';
  brandId: string;
  channel: ChannelType;
  openedAt?: string;
  lastInboundAt?: string;
  lastActivityAt: string;
  optedOut: boolean;
  messageCount: number;
  pendingDeliveries: number;
  recentOutbound: RecentOutbound[];
  closeReason?: string;
  agentId?: string;
  queueId: string;
  /** Closed but still within the reopen window. */
  reopenable: boolean;
  /** Inbound messages that could not be recorded (a deterministic failure); nothing else waits on them. */
  failedInbound: number;
}

export interface ReplyInput {
  conversationId: string;
  messageId: string;
  text: string;
  agentId?: string;
}

export interface ReplyResult {
  messageId: string;
  status: 'pending';
}

export interface MessageActionInput {
  conversationId: string;
  messageId: string;
  byAgentId?: string;
}

export interface MessageActionResult {
  messageId: string;
  status: OutboundStatus;
}

export interface AcceptInput {
  conversationId: string;
  agentId: string;
}

export interface CloseInput {
  conversationId: string;
  reason?: string;
  closedBy?: string;
}

export const inboundMessageSignal = defineSignal<[InboundMessage]>('inboundMessage');
export const deliveryStatusSignal = defineSignal<[DeliveryStatusEvent]>('deliveryStatus');
export const conversationStateQuery = defineQuery<ConversationState>('state');
export const replyUpdate = defineUpdate<ReplyResult, [ReplyInput]>('reply');
export const closeUpdate = defineUpdate<ConversationState, [CloseInput]>('close');
/** From the brand's router: this conversation now belongs to an agent. */
export const assignedSignal = defineSignal<[AssignedInput]>('assigned');
export const transferUpdate = defineUpdate<ConversationState, [TransferInput]>('transfer');
export const reopenUpdate = defineUpdate<ConversationState, [ReopenInput]>('reopen');
/** An agent takes the conversation from its queue: the router decides, the conversation records it, then 200. */
export const acceptConversationUpdate = defineUpdate<{ agentId: string }, [AcceptInput]>('accept');
/** Send a failed reply again (idempotent: a reply already queued again answers as it is). */
export const retryMessageUpdate = defineUpdate<MessageActionResult, [MessageActionInput]>('retryMessage');
/** Withdraw a reply not yet sent (idempotent: a canceled reply answers `canceled`). */
export const cancelMessageUpdate = defineUpdate<MessageActionResult, [MessageActionInput]>('cancelMessage');

/** Error types update validators throw; the API maps them to 409 with the message as reason. */
export const RejectionType = {
  conversationClosed: 'ConversationClosed',
  invalidReply: 'InvalidReply',
  optedOut: 'ConsumerOptedOut',
  outsideWindow: 'OutsideMessagingWindow',
  invalidTransfer: 'InvalidTransfer',
  notReopenable: 'NotReopenable',
  messageIdTaken: 'MessageIdTaken',
  messageNotRetryable: 'MessageNotRetryable',
  messageNotCancelable: 'MessageNotCancelable',
} as const;

export const deliveryDefaults: DeliveryPolicy = { initialRetryMs: 2_000, maxRetryMs: 5 * 60_000, horizonMs: 24 * 60 * 60_000 };

export const maxTextLength: Record<ChannelType, number> = { sms: 1600, messenger: 2000 };
