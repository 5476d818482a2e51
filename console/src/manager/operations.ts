import { get } from '../api/client';
import type { QueueInfo, RealtimeReport } from './report-types';

export interface Operations {
  report: RealtimeReport;
  /** Absent when the user may not list queues (conversation.view). */
  queues?: QueueInfo[];
  /** Absent when the user may not list agents (conversation.transfer). */
  agents?: AgentLoad[];
  /** Server clock minus ours, so waits are counted on the server's clock. */
  skewMs: number;
}

export interface QueueRow {
  queueId: string;
  waiting: number;
  oldestWaitingSince?: string;
  entryPoints?: string[];
  agents?: QueueInfo['agents'];
}

/** An agent as GET /api/v1/agents lists them. */
export interface AgentLoad {
  id: string;
  name: string;
  availability: 'online' | 'away' | 'offline';
  queues: string[];
  maxConcurrent: number;
  activeConversations: number;
}

export async function loadOperations(access: { queues: boolean; agents: boolean }): Promise<Operations> {
  const [report, queues, agents] = await Promise.all([
    get<RealtimeReport>('/api/v1/reports/realtime'),
    access.queues ? get<{ items: QueueInfo[] }>('/api/v1/queues') : undefined,
    access.agents ? get<{ items: AgentLoad[] }>('/api/v1/agents') : undefined,
  ]);
  return { report, queues: queues?.items, agents: agents?.items, skewMs: Date.parse(report.at) - Date.now() };
}

/** Every queue either source knows; what waits comes from the realtime report, the rest from the queue list. */
export function queueRows(operations: Operations): QueueRow[] {
  const rows = new Map<string, QueueRow>();
  for (const queue of operations.queues ?? []) {
    rows.set(queue.queueId, { queueId: queue.queueId, waiting: 0, entryPoints: queue.entryPoints, agents: queue.agents });
  }
  for (const queue of operations.report.queues) {
    rows.set(queue.queueId, { ...rows.get(queue.queueId), queueId: queue.queueId, waiting: queue.waiting, oldestWaitingSince: queue.oldestWaitingSince });
  }
  return [...rows.values()].sort((a, b) => a.queueId.localeCompare(b.queueId));
}
