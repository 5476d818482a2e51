import type { Conversation, Message } from '../../api/types';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));
export const formatTime = (iso: string) => timeOnly.format(new Date(iso));

export const channelLabel = (channel: Conversation['channel']) => (channel === 'sms' ? 'SMS' : 'Messenger');

export function statusLabel(conversation: Conversation): string {
  if (conversation.status === 'closed') return 'Closed';
  return conversation.agentId ? 'Open' : 'Waiting in queue';
}

/** Who wrote a message, as the agent reads it. */
export function authorLabel(message: Message, meId: string): string {
  if (message.direction === 'inbound') return 'Consumer';
  if (message.direction === 'internal') return 'Internal note';
  switch (message.kind) {
    case 'system':
      return 'Automatic reply';
    case 'page_echo':
      return 'Sent from the Facebook Page';
    case 'secure_form':
      return 'Secure form link';
    default:
      return message.agentId === meId ? 'You' : 'Agent';
  }
}

/** Replies whose delivery an agent follows (and may retry or cancel): everything we send, not the Page's own echoes. */
export const isTrackedReply = (message: Message) => message.direction === 'outbound' && message.kind !== 'page_echo';
