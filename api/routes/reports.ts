import { z } from 'zod';
import type { Request, Response } from 'express';
import type { Db } from 'mongodb';
import type { Client } from '@temporalio/client';
import type { AuthenticateDependencies } from '../auth/authenticate.js';
import { authErrors, signedIn } from '../auth/route-auth.js';
import type { ApiRoutes } from '../openapi/routes.js';
import { toCsv } from '../use-cases/reports/csv.js';
import { realtime } from '../use-cases/reports/realtime.js';
import { summary, summaryFigures } from '../use-cases/reports/summary.js';
import { isoInstant, parseRange } from '../use-cases/reports/time-buckets.js';
import { invalidRequestBecause } from '../openapi/error-responses.js';
import { volumes } from '../use-cases/reports/volumes.js';

// parseRange checks these (invalid_range): the document says so, with the pattern it applies.
const rangeQuery = z.object({
  from: z.string().openapi({ description: 'Start (inclusive), ISO 8601 with zone', example: '2026-03-29T00:00:00+01:00', pattern: isoInstant.source }),
  to: z.string().openapi({ description: 'End (exclusive), ISO 8601 with zone; at most 366 days after from', pattern: isoInstant.source }),
});
const invalidRange = invalidRequestBecause('from or to not a date-time, to not after from, or more than 366 days apart (invalid_range)');
const volumeQuery = rangeQuery.extend({
  granularity: z.enum(['hour', 'day']).default('day'),
  timeZone: z.string().max(64).default('UTC').openapi({ description: 'IANA zone the buckets are local to (an unknown one: invalid_time_zone)', pattern: '^[A-Za-z][A-Za-z0-9_+\\-]*(/[A-Za-z0-9_+\\-]+)*$' }),
  groupBy: z.enum(['channel', 'entryPoint', 'queue']).default('channel'),
});

const volumeRowSchema = z.object({
  bucket: z.string(), start: z.string(), group: z.string(),
  conversationsOpened: z.number(), messagesInbound: z.number(), messagesOutbound: z.number(),
});
const duration = z.object({ count: z.number(), averageSeconds: z.number().nullable(), medianSeconds: z.number().nullable().optional() });
const summarySchema = z.object({
  from: z.string(), to: z.string(), firstResponse: duration, handleTime: duration,
  messages: z.object({ delivered: z.number(), failed: z.number(), other: z.number() }),
  conversationsPerAgent: z.array(z.object({ agentId: z.string(), conversations: z.number() })),
  unassignedConversations: z.number(),
  secureForms: z.object({ sent: z.number(), submitted: z.number(), expired: z.number() }),
}).openapi('ReportSummary');
const realtimeSchema = z.object({
  at: z.string(),
  queues: z.array(z.object({ queueId: z.string(), waiting: z.number(), oldestWaitingSince: z.string() })),
  activeConversations: z.number(),
  agents: z.object({ online: z.number(), away: z.number() }),
  delivery: z.object({ windowMinutes: z.number(), outbound: z.number(), failed: z.number(), failureRate: z.number().nullable() }),
}).openapi('ReportRealtime');

const csv = { contentType: 'text/csv', schema: z.string() };
const wantsCsv = (req: Request) => req.accepts(['application/json', 'text/csv']) === 'text/csv';
const sendCsv = (res: Response, name: string, body: string) =>
  res.type('text/csv; charset=utf-8').set('content-disposition', `attachment; filename="${name}.csv"`).send(body);

/** GET /api/v1/reports/{volumes,summary,realtime}: managers' reports (reports.view); CSV when Accept prefers text/csv. */
export function registerReportRoutes(routes: ApiRoutes, deps: AuthenticateDependencies & { db: Db; client: Client }) {
  const auth = signedIn(routes, deps, 'reports.view');
  routes.add(
    {
      tags: ['reports'], ...auth, method: 'get', path: '/api/v1/reports/volumes', operationId: 'reportVolumes', query: volumeQuery,
      summary: 'Conversations opened and messages in/out per local hour or day and per channel, entry point or queue (JSON, or CSV with Accept: text/csv)',
      responses: { 200: { description: 'Rows with activity, by bucket start then group', schema: z.object({ items: z.array(volumeRowSchema) }), alternatives: [csv] }, ...authErrors,
        ...invalidRequestBecause('from or to not a date-time, to not after from, or more than 366 days apart (invalid_range); a time zone that is not an IANA zone (invalid_time_zone)') },
    },
    async ({ req, res, query }) => {
      const range = parseRange(query.from, query.to);
      const items = await volumes(deps.db, req.principal!.brandId, { ...range, granularity: query.granularity, timeZone: query.timeZone, groupBy: query.groupBy });
      if (!wantsCsv(req)) return void res.json({ items });
      const header = ['bucket', 'start', query.groupBy, 'conversationsOpened', 'messagesInbound', 'messagesOutbound'];
      sendCsv(res, 'volumes', toCsv(header, items.map((r) => [r.bucket, r.start, r.group, r.conversationsOpened, r.messagesInbound, r.messagesOutbound])));
    },
  );
  routes.add(
    {
      tags: ['reports'], ...auth, method: 'get', path: '/api/v1/reports/summary', operationId: 'reportSummary', query: rangeQuery,
      summary: 'First response, handle time, delivered vs failed, conversations per agent, secure forms (JSON, or CSV with Accept: text/csv)',
      responses: { 200: { description: 'Figures of the range', schema: summarySchema, alternatives: [csv] }, ...authErrors, ...invalidRange },
    },
    async ({ req, res, query }) => {
      const result = await summary(deps.db, req.principal!.brandId, parseRange(query.from, query.to));
      if (!wantsCsv(req)) return void res.json(result);
      sendCsv(res, 'summary', toCsv(['figure', 'value'], summaryFigures(result)));
    },
  );
  routes.add(
    {
      tags: ['reports'], ...auth, method: 'get', path: '/api/v1/reports/realtime', operationId: 'reportRealtime',
      summary: 'Queue depth and oldest waiting, active conversations, agents online/away, delivery failure rate of the last 15 minutes',
      responses: { 200: { description: 'Now', schema: realtimeSchema }, ...authErrors },
    },
    async ({ req, res }) => {
      res.json(await realtime(deps, req.principal!.brandId));
    },
  );
}
