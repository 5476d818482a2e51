import { z } from 'zod';
import type { ApiRoutes } from '../openapi/routes.js';

export interface ReadinessCheck {
  name: string;
  /** Resolves when the dependency answers; rejects (or times out) when it does not. */
  check(): Promise<void>;
}

const checkResultSchema = z.object({
  ok: z.boolean(),
  latencyMs: z.number(),
  error: z.string().optional(),
});

const readinessSchema = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    checks: z.record(z.string(), checkResultSchema),
    /** Webhook events accepted but not yet in Temporal (absent when the database does not answer). */
    inboundJournal: z.object({ pending: z.number().int().min(0) }).optional(),
  })
  .openapi('Readiness');

export function registerHealthRoutes(
  routes: ApiRoutes,
  deps: { readiness: ReadinessCheck[]; timeoutMs?: number; backlog?: () => Promise<number> },
) {
  routes.add(
    {
      method: 'get',
      path: '/healthz',
      operationId: 'getHealth',
      summary: 'Liveness: the process is up and serving HTTP',
      tags: ['operations'],
      responses: { 200: { description: 'Process is up', schema: z.object({ status: z.literal('ok') }) } },
    },
    ({ res }) => {
      res.json({ status: 'ok' });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/readyz',
      operationId: 'getReadiness',
      summary: 'Readiness: Temporal and the database answer',
      tags: ['operations'],
      responses: {
        200: { description: 'Every dependency answers', schema: readinessSchema },
        503: { description: 'At least one dependency does not answer', schema: readinessSchema },
      },
    },
    async ({ req, res }) => {
      const timeoutMs = deps.timeoutMs ?? 2_000;
      const within = <T>(work: Promise<T>) =>
        Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref())]);
      const pending = deps.backlog ? within(deps.backlog()).catch(() => undefined) : Promise.resolve(undefined);
      const results = await Promise.all(
        deps.readiness.map(async ({ name, check }) => {
          const started = performance.now();
          try {
            await within(check());
            return [name, { ok: true, latencyMs: Math.round(performance.now() - started) }] as const;
          } catch (error) {
            req.log?.warn({ check: name, err: error }, 'readiness check failed');
            return [name, { ok: false, latencyMs: Math.round(performance.now() - started), error: 'unreachable' }] as const;
          }
        }),
      );
      const ready = results.every(([, result]) => result.ok);
      const backlog = await pending;
      res.status(ready ? 200 : 503).json({
        status: ready ? 'ready' : 'not_ready',
        checks: Object.fromEntries(results),
        ...(backlog === undefined ? {} : { inboundJournal: { pending: backlog } }),
      });
    },
  );
}
