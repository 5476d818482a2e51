/** Shapes of the reports, queues and audit routes (see /openapi.json: ReportRealtime, Queue, ReportSummary, AuditEntry). */
export interface RealtimeReport {
  at: string;
  queues: { queueId: string; waiting: number; oldestWaitingSince: string }[];
  activeConversations: number;
  agents: { online: number; away: number };
  delivery: { windowMinutes: number; outbound: number; failed: number; failureRate: number | null };
}

export interface QueueInfo {
  queueId: string;
  entryPoints: string[];
  agents: { total: number; online: number; away: number };
  waiting: number;
  oldestWaitingSince?: string;
}

export type Granularity = 'hour' | 'day';
export type GroupBy = 'channel' | 'entryPoint' | 'queue';
export type VolumeMetric = 'conversationsOpened' | 'messagesInbound' | 'messagesOutbound';

export interface VolumeRow {
  /** Local wall-clock start of the bucket in the requested zone (`2026-03-29T00:00`). */
  bucket: string;
  start: string;
  group: string;
  conversationsOpened: number;
  messagesInbound: number;
  messagesOutbound: number;
}

interface DurationFigure { count: number; averageSeconds: number | null; medianSeconds?: number | null }

export interface ReportSummary {
  from: string;
  to: string;
  firstResponse: DurationFigure;
  handleTime: DurationFigure;
  messages: { delivered: number; failed: number; other: number };
  conversationsPerAgent: { agentId: string; conversations: number }[];
  unassignedConversations: number;
  secureForms: { sent: number; submitted: number; expired: number };
}

export interface AuditEntry {
  id: string;
  at: string;
  action: string;
  actor: { kind: 'user' | 'integration' | 'platform' | 'system'; id?: string };
  target?: { kind: string; id: string };
  details?: Record<string, unknown>;
  source?: { ip?: string; requestId: string };
}

export interface AuditPage { items: AuditEntry[]; nextBefore?: string }
