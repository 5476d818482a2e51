import { z } from 'zod';
import type { Db } from 'mongodb';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { Collections } from '../../db/collections.js';
import type { EntryPointDocument } from '../../db/repositories/channels.js';
import type { UserDocument } from '../../db/repositories/users.js';
import { routerStateQuery, routerWorkflowId, type RouterState } from '../../workflows/routing/definitions.js';
import type { AuthenticateDependencies } from '../auth/authenticate.js';
import { authErrors, signedIn } from '../auth/route-auth.js';
import type { ApiRoutes } from '../openapi/routes.js';

const queueSchema = z
  .object({
    queueId: z.string(),
    entryPoints: z.array(z.string()),
    agents: z.object({ total: z.number(), online: z.number(), away: z.number() }),
    waiting: z.number(),
    oldestWaitingSince: z.string().optional(),
  })
  .openapi('Queue');

/** GET /api/v1/queues: each queue with its entry points, agents and what waits, from the database and the brand's router. */
export function registerQueueRoutes(routes: ApiRoutes, deps: AuthenticateDependencies & { db: Db; client: Client }) {
  routes.add(
    {
      tags: ['workspace'], ...signedIn(routes, deps, 'conversation.view'),
      method: 'get', path: '/api/v1/queues', operationId: 'listQueues',
      summary: 'Queues (skills): entry points feeding each, agents working it, conversations waiting',
      responses: { 200: { description: 'Queues', schema: z.object({ items: z.array(queueSchema) }) }, ...authErrors },
    },
    async ({ req, res }) => {
      const { brandId } = req.principal!;
      const [entryPoints, users, router] = await Promise.all([
        deps.db.collection<EntryPointDocument>(Collections.entryPoints).find({ brandId }).limit(1000).toArray(),
        deps.db.collection<UserDocument>(Collections.users).find({ brandId, status: 'active' }, { projection: { skills: 1, availability: 1 } }).limit(5000).toArray(),
        deps.client.workflow.getHandle(routerWorkflowId(brandId)).query(routerStateQuery).catch((error: unknown) => {
          if (error instanceof WorkflowNotFoundError) return { waiting: [], agents: [] } as RouterState;
          throw error;
        }),
      ]);
      const ids = new Set([...entryPoints.map((entry) => entry.queueId), ...users.flatMap((user) => user.skills ?? [])]);
      const items = [...ids].sort().map((queueId) => {
        const agents = users.filter((user) => user.skills?.includes(queueId));
        const waiting = router.waiting.filter((item) => item.queueId === queueId);
        return {
          queueId,
          entryPoints: entryPoints.filter((entry) => entry.queueId === queueId).map((entry) => entry._id),
          agents: { total: agents.length, online: agents.filter((a) => a.availability === 'online').length, away: agents.filter((a) => a.availability === 'away').length },
          waiting: waiting.length,
          ...(waiting[0] ? { oldestWaitingSince: waiting.map((item) => item.arrivedAt).sort()[0] } : {}),
        };
      });
      res.json({ items });
    },
  );
}
