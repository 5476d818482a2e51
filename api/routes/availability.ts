import { z } from 'zod';
import type { Db } from 'mongodb';
import type { Client } from '@temporalio/client';
import { agentStatusOf, signalRouter } from '../../services/routing/router-notices.js';
import { Collections } from '../../db/collections.js';
import type { UserDocument } from '../../db/repositories/users.js';
import type { AuthenticateDependencies } from '../auth/authenticate.js';
import { authErrors, signedIn } from '../auth/route-auth.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { ApiRoutes } from '../openapi/routes.js';

/** PUT /api/v1/me/availability: online agents get conversations from the brand's router. */
export function registerAvailabilityRoutes(routes: ApiRoutes, deps: AuthenticateDependencies & { db: Db; client: Client; taskQueue: string }) {
  const users = deps.db.collection<UserDocument>(Collections.users);
  routes.add(
    {
      tags: ['workspace'], ...signedIn(routes, deps, 'conversation.accept'),
      method: 'put', path: '/api/v1/me/availability', operationId: 'setAvailability',
      summary: 'Go online (receive conversations up to your maximum), away (keep yours, get no new ones) or offline',
      body: z.object({ availability: z.enum(['online', 'away', 'offline']) }).strict().openapi('Availability'),
      responses: { 200: { description: 'Availability set', schema: z.object({ availability: z.string(), maxConcurrent: z.number(), skills: z.array(z.string()) }) }, ...authErrors },
    },
    async ({ body, req, res }) => {
      const principal = req.principal!;
      if (principal.kind !== 'user') throw new ForbiddenError({ code: 'permission_denied', message: 'Only a signed-in agent has an availability' });
      const user = await users.findOneAndUpdate(
        { _id: principal.userId!, brandId: principal.brandId },
        { $set: { availability: body.availability, updatedAt: new Date() } },
        { returnDocument: 'after' },
      );
      if (!user) throw new NotFoundError({ code: 'user_not_found', message: 'Your user no longer exists' });
      await signalRouter({ client: deps.client, taskQueue: deps.taskQueue }, principal.brandId, {
        kind: 'agent',
        status: agentStatusOf(user, body.availability),
      });
      res.json({ availability: body.availability, maxConcurrent: user.maxConcurrent, skills: user.skills });
    },
  );
}
