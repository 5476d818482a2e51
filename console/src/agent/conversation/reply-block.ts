import type { Conversation } from '../../api/types';
import { forgetOnSignOut } from '../../session/memory';

/** Why a reply cannot go out now. `hard`: sending is pointless (the Send button is disabled). */
export interface ReplyBlock {
  code: string;
  message: string;
  hard: boolean;
}

/** 409 codes of POST …/replies that say the conversation refuses replies for now (not a fault of the text). */
export const blockingCodes = new Set(['conversation_closed', 'consumer_opted_out', 'outside_messaging_window']);

const HOUR = 3_600_000;

/**
 * Refusals the API told us about that its conversation fields do not show (an opt-out), per conversation,
 * in memory: shown before the agent types again, until the consumer writes or a reply is accepted.
 */
const refusals = new Map<string, ReplyBlock>();
forgetOnSignOut(() => refusals.clear());

export function rememberRefusal(conversationId: string, code: string, message: string): void {
  refusals.set(conversationId, { code, message, hard: false });
}

export function forgetRefusal(conversationId: string): void {
  refusals.delete(conversationId);
}

/** What the conversation's own fields say, then what the server said last time. */
export function replyBlock(conversation: Conversation, access: { canAct: boolean; canReply: boolean }, now = Date.now()): ReplyBlock | undefined {
  if (conversation.status === 'closed') {
    return { code: 'conversation_closed', message: 'This conversation is closed: reopen it to reply.', hard: true };
  }
  if (!access.canReply) return { code: 'permission_denied', message: 'Your profile does not allow replying.', hard: true };
  if (!access.canAct) {
    const message = conversation.agentId ? 'This conversation is assigned to another agent.' : 'Accept this conversation to reply.';
    return { code: 'not_your_conversation', message, hard: true };
  }
  if (conversation.optedOut) {
    return { code: 'consumer_opted_out', message: 'The consumer texted STOP: replies are refused until they text START.', hard: true };
  }
  const window = messengerWindow(conversation, now);
  if (window) return window;
  return refusals.get(conversation.id);
}

/** Messenger answers a person within 24 hours, then as a human agent (tagged) until 7 days. */
function messengerWindow(conversation: Conversation, now: number): ReplyBlock | undefined {
  if (conversation.channel !== 'messenger') return undefined;
  if (!conversation.lastInboundAt) {
    return { code: 'outside_messaging_window', message: 'The person has not written to the Page yet: Messenger lets Pages answer only.', hard: true };
  }
  const elapsed = now - Date.parse(conversation.lastInboundAt);
  if (elapsed >= 7 * 24 * HOUR) {
    return { code: 'outside_messaging_window', message: 'More than 7 days since the person last wrote: Messenger allows no reply until they write again.', hard: true };
  }
  return undefined;
}

/** A note (not a block): past 24 hours Messenger still takes an agent's answer, tagged as human support. */
export function messengerLateNote(conversation: Conversation, now = Date.now()): string | undefined {
  if (conversation.channel !== 'messenger' || !conversation.lastInboundAt) return undefined;
  const elapsed = now - Date.parse(conversation.lastInboundAt);
  if (elapsed < 24 * HOUR || elapsed >= 7 * 24 * HOUR) return undefined;
  return 'The 24-hour Messenger window is over: your reply goes out as a human agent’s answer, allowed until 7 days after the person last wrote.';
}
