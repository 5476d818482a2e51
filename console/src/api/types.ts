/** Shapes of the public API the console reads (see /openapi.json for the full contract). */
export type Permission =
  | 'conversation.view' | 'conversation.viewAll' | 'conversation.accept' | 'conversation.reply' | 'conversation.transfer'
  | 'conversation.close' | 'conversation.reopen' | 'secureForm.use' | 'secureForm.viewInHistory' | 'reports.view'
  | 'audit.view' | 'users.manage' | 'queues.manage';

export type Availability = 'online' | 'away' | 'offline';

export interface User {
  id: string; brandId: string; email: string; name: string; profile: string; status: 'active' | 'disabled'; locked: boolean;
  passwordChangeRequired: boolean; skills: string[]; maxConcurrent: number; availability: Availability;
  passwordChangedAt: string; createdAt: string; updatedAt: string;
}

export interface Me {
  user: User;
  role?: 'agent' | 'manager' | 'admin';
  permissions: Permission[];
  idleTimeoutMinutes: number;
  csrfToken?: string;
}

export interface Conversation {
  id: string; channel: 'sms' | 'messenger'; entryPointId: string; queueId: string; status: 'open' | 'closed';
  agentId?: string; consumer: { id: string; display: string }; openedAt: string; lastMessageAt: string;
  lastInboundAt?: string; messageCount: number; closedAt?: string; closeReason?: string;
  /** While waiting in its queue for an agent. */
  waitingSince?: string;
  /** SMS, when one conversation is read: the consumer texted STOP. */
  optedOut?: boolean;
}

export type DeliveryStatus = 'pending' | 'retrying' | 'queued' | 'sent' | 'delivered' | 'read' | 'undelivered' | 'failed' | 'canceled';

export interface Message {
  id: string; direction: 'inbound' | 'outbound' | 'internal'; kind: string; text?: string;
  attachments: { type: string; contentType?: string; url?: string }[];
  status: string; statusHistory: { status: string; at: string; errorCode?: string }[];
  failure?: { code: string; reason: string }; agentId?: string; createdAt: string;
  retry?: { attempts: number; nextAttemptAt: string };
}

export interface Page<T> { items: T[]; nextCursor?: string }

/** One Server-Sent Event of GET /api/v1/events (ids and states only). */
export interface StreamEvent {
  id: string;
  type: string;
  data: { conversationId: string; at: string; [field: string]: unknown };
}
