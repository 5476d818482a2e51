import type { Response } from 'express';
import { TooManyRequestsError } from '../errors.js';
import { errorBodySchema } from '../openapi/schemas.js';
import { z } from 'zod';
import type { EventLog } from '../../db/repositories/events.js';
import type { AuthenticateDependencies } from '../auth/authenticate.js';
import { authErrors, signedIn } from '../auth/route-auth.js';
import type { Principal } from '../auth/principal.js';
import { policyOf } from '../auth/policy.js';
import type { ApiRoutes } from '../openapi/routes.js';
import { streamEventSchema } from './event-schemas.js';
import { serveEventStream } from './event-stream.js';
import type { LiveEvents } from '../../db/live/live-events.js';

/** At most this many open streams per user or API token, per API process. */
export const maxStreamsPerPrincipal = 5;

/**
 * Open SSE responses, so a shutdown can end them instead of waiting out the grace period; also
 * counts them per principal. In-process: with N replicas a principal may hold N times the maximum.
 */
export class EventStreams {
  private readonly open = new Set<Response>();
  private readonly perPrincipal = new Map<string, number>();

  /** Takes a slot for `principal` (released when the response closes), or answers false when all are taken. */
  add(res: Response, principal: string): boolean {
    const count = this.perPrincipal.get(principal) ?? 0;
    if (count >= maxStreamsPerPrincipal) return false;
    this.perPrincipal.set(principal, count + 1);
    this.open.add(res);
    res.on('close', () => {
      this.open.delete(res);
      const left = (this.perPrincipal.get(principal) ?? 1) - 1;
      if (left > 0) this.perPrincipal.set(principal, left);
      else this.perPrincipal.delete(principal);
    });
    return true;
  }

  closeAll() {
    for (const res of this.open) res.end();
  }
}

const streamKey = (principal: Principal) =>
  principal.kind === 'user' ? `user:${principal.userId}` : `token:${principal.brandId}:${principal.tokenId ?? ''}`;

/** What a principal may receive: their own and their queues' events; managers and integrations everything. */
function audienceOf(principal: Principal): string[] | undefined {
  if (principal.kind === 'integration' || principal.permissions.has('conversation.viewAll')) return undefined;
  const queues = principal.skills === 'all' ? [] : principal.skills.map((queueId) => `queue:${queueId}`);
  return [principal.userId!, ...queues];
}

/**
 * GET /api/v1/events: Server-Sent Events. Events are rows of the events collection,
 * so any replica serves any stream: pushed to it by the process's live-event hub
 * (db/live). Resumable: `Last-Event-ID` (or `?since=`) replays what was missed from
 * the database; a new stream starts from now.
 */
export function registerEventRoutes(routes: ApiRoutes, deps: AuthenticateDependencies & { events: EventLog; live: LiveEvents; streams: EventStreams }) {
  routes.registry.register('StreamEvent', streamEventSchema);
  routes.add(
    {
      tags: ['events'], ...signedIn(routes, deps, 'conversation.view'),
      method: 'get', path: '/api/v1/events', operationId: 'streamEvents',
      summary: 'Live events (conversation.waiting/assigned/transferred/closed/reopened, message.created/status) as text/event-stream',
      query: z.object({ since: z.coerce.number().int().min(0).optional() }),
      responses: {
        200: {
          description: 'An event stream; each event\'s id resumes it (Last-Event-ID). Each event is a StreamEvent (x-itemSchema, as OpenAPI 3.2\'s itemSchema); comments (`: keep-alive`) and `retry:` lines come between',
          contentType: 'text/event-stream', schema: z.string(), extensions: { 'x-itemSchema': { $ref: '#/components/schemas/StreamEvent' } },
        },
        ...authErrors,
        429: { description: `too_many_streams: this user or API token already has ${maxStreamsPerPrincipal} open streams (close one)`, schema: errorBodySchema },
      },
    },
    async ({ query, req, res }) => {
      const principal = req.principal!;
      if (!deps.streams.add(res, streamKey(principal))) {
        throw new TooManyRequestsError({
          code: 'too_many_streams', message: `At most ${maxStreamsPerPrincipal} event streams may be open at once per user or API token: close one first`,
        });
      }
      const header = Number(req.header('last-event-id'));
      await serveEventStream({
        res,
        events: deps.events,
        live: deps.live,
        brandId: principal.brandId,
        audience: audienceOf(principal),
        resumeAfter: Number.isInteger(header) && header >= 0 ? header : query.since,
        sessionStillValid: async () => {
          if (!req.sessionId) return true;
          const session = await deps.sessions.get(req.sessionId);
          const idleMs = policyOf(req.brand!).idleTimeoutMinutes * 60_000;
          return session !== null && Date.now() - session.lastSeenAt.getTime() <= idleMs && Date.now() < session.expiresAt.getTime();
        },
      });
    },
  );
}
