import type { Db } from 'mongodb';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { Collections } from '../../../db/collections.js';
import type { ConversationDocument } from '../../../db/repositories/conversations.js';
import type { UserDocument } from '../../../db/repositories/users.js';
import { routerStateQuery, routerWorkflowId, type RouterState } from '../../../workflows/routing/definitions.js';
import { read, reportQueries } from './queries.js';

export interface Realtime {
  at: string;
  queues: { queueId: string; waiting: number; oldestWaitingSince: string }[];
  activeConversations: number;
  agents: { online: number; away: number };
  delivery: { windowMinutes: number; outbound: number; failed: number; failureRate: number | null };
}

export const failureWindowMinutes = 15;

async function routerState(client: Client, brandId: string): Promise<RouterState> {
  return client.workflow.getHandle(routerWorkflowId(brandId)).query(routerStateQuery).catch((error: unknown) => {
    if (error instanceof WorkflowNotFoundError) return { waiting: [], agents: [] };
    throw error;
  });
}

/** Queues from the brand's router; counts from indexed reads of the database. */
export async function realtime(deps: { db: Db; client: Client }, brandId: string, now = new Date()): Promise<Realtime> {
  const open = reportQueries.conversationsOpen(brandId);
  const [router, activeConversations, users] = await Promise.all([
    routerState(deps.client, brandId),
    deps.db.collection<ConversationDocument>(open.collection).countDocuments(open.filter),
    deps.db.collection<UserDocument>(Collections.users).find({ brandId, status: 'active' }, { projection: { availability: 1 } }).limit(5000).toArray(),
  ]);

  const queues = new Map<string, { waiting: number; oldest: string }>();
  for (const item of router.waiting) {
    const queue = queues.get(item.queueId);
    if (!queue) queues.set(item.queueId, { waiting: 1, oldest: item.arrivedAt });
    else queues.set(item.queueId, { waiting: queue.waiting + 1, oldest: item.arrivedAt < queue.oldest ? item.arrivedAt : queue.oldest });
  }

  const delivery = { windowMinutes: failureWindowMinutes, outbound: 0, failed: 0, failureRate: null as number | null };
  const window = { from: new Date(now.getTime() - failureWindowMinutes * 60_000), to: new Date(now.getTime() + 1) };
  for await (const m of read(deps.db, reportQueries.messagesCreated(brandId, window))) {
    if (m.direction !== 'outbound') continue;
    delivery.outbound += 1;
    if (m.status === 'failed' || m.status === 'undelivered') delivery.failed += 1;
  }
  if (delivery.outbound) delivery.failureRate = delivery.failed / delivery.outbound;

  return {
    at: now.toISOString(),
    queues: [...queues].sort(([a], [b]) => a.localeCompare(b)).map(([queueId, q]) => ({ queueId, waiting: q.waiting, oldestWaitingSince: q.oldest })),
    activeConversations,
    agents: { online: users.filter((u) => u.availability === 'online').length, away: users.filter((u) => u.availability === 'away').length },
    delivery,
  };
}
