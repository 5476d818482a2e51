import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Db } from 'mongodb';
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
import { StreamSlots } from '../../db/repositories/stream-slots.js';

/** At most this many open streams per user or API token, across all API replicas. */
export const maxStreamsPerPrincipal = 5;

/**
 * Open SSE responses, so a shutdown can end them instead of waiting out the grace period. Each holds one of its
 * principal's numbered slots in the database (db/repositories/stream-slots.ts), so the cap holds across replicas:
 * the lease is renewed while the stream is open, and the slot deleted when it ends.
 */
export class EventStreams {
  /** Each open response and what releases its slot (once). */
  private readonly open = new Map<ServerResponse, () => Promise<void>>();
  private readonly slots: StreamSlots;
  private readonly renewEveryMs: number;

  constructor(db: Db, options: { leaseMs?: number; renewEveryMs?: number } = {}) {
    this.slots = new StreamSlots(db, { leaseMs: options.leaseMs });
    this.renewEveryMs = options.renewEveryMs ?? this.slots.leaseMs / 3;
  }

  /**
   * Takes a slot for `principal` (released when the response closes), or answers false when all are taken.
   * Throws when the database does not answer: a stream is never held open without a slot.
   */
  async add(res: ServerResponse, principal: string): Promise<boolean> {
    const slot = await this.slots.claim(principal, randomUUID(), maxStreamsPerPrincipal);
    if (!slot) return false;
    let renewing = false;
    const renewal = setInterval(async () => {
      if (renewing) return;
      renewing = true;
      try {
        // Lost: the lease ran out (the database was away longer than it) and another stream took the slot.
        if (!(await this.slots.renew(slot))) res.end();
      } catch {
        // The database did not answer: try again next time; the lease outlasts a few misses.
      } finally {
        renewing = false;
      }
    }, this.renewEveryMs).unref();
    let released: Promise<void> | undefined;
    const release = () => {
      if (released) return released;
      clearInterval(renewal);
      this.open.delete(res);
      // Not released (the database is down): the lease runs out instead.
      released = this.slots.release(slot).catch(() => undefined);
      return released;
    };
    this.open.set(res, release);
    res.on('close', release);
    // The client left while the slot was being claimed.
    if (res.closed) await release();
    return true;
  }

  /** Ends every open stream and gives back their slots. */
  async closeAll(): Promise<void> {
    await Promise.all(
      [...this.open].map(([res, release]) => {
        res.end();
        return release();
      }),
    );
  }
}

/** Whose slots a stream takes: a user, or one brand API token. */
export const streamKey = (principal: Pick<Principal, 'kind' | 'brandId' | 'userId' | 'tokenId'>) =>
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
        429: {
          description: `too_many_streams: this user or API token already has ${maxStreamsPerPrincipal} open streams across all API replicas (close one)`,
          schema: errorBodySchema,
        },
      },
    },
    async ({ query, req, res }) => {
      const principal = req.principal!;
      // A database failure here answers 503 database_unavailable, like any other request.
      if (!(await deps.streams.add(res, streamKey(principal)))) {
        throw new TooManyRequestsError({
          code: 'too_many_streams', message: `At most ${maxStreamsPerPrincipal} event streams may be open at once per user or API token: close one first`,
        });
      }
      if (res.closed) return;
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
