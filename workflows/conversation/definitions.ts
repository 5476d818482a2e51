import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

import type { ChannelType } from '../../db/repositories/conversations.js';

export type { ChannelType };
export type SmsKeyword = 'stop' | 'start' | 'help';
export type OutboundStatus = 'pending' | 'queued' | 'sent' | 'delivered' | 'read' | 'undelivered' | 'failed';

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
  /** Set by continue-as-new. */
  carried?: CarriedState;
}

export interface OutboundItem {
  messageId: string;
  text: string;
  kind: 'agent' | 'system';
  agentId?: string;
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

/** Error types update validators throw; the API maps them to 409 with the message as reason. */
export const RejectionType = {
  conversationClosed: 'ConversationClosed',
  invalidReply: 'InvalidReply',
  optedOut: 'ConsumerOptedOut',
  outsideWindow: 'OutsideMessagingWindow',
  invalidTransfer: 'InvalidTransfer',
  notReopenable: 'NotReopenable',
} as const;

export const maxTextLength: Record<ChannelType, number> = { sms: 1600, messenger: 2000 };
