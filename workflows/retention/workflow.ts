import { patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { RetentionActivities, RetentionTarget } from '../../activities/retention/index.js';

const activities = proxyActivities<RetentionActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

export interface RetentionInput {
  /** For tests and catch-up runs: the moment retention is computed from (default: the scheduled start). */
  now?: string;
  batchSize?: number;
}

export type RetentionReport = Record<string, Partial<Record<RetentionTarget | 'oneTimeKeys' | 'sessions', number>>>;

/** One per deployment (task queue), so deployments sharing a namespace keep their own. */
export const retentionScheduleId = (taskQueue: string) => `switchboard-retention:${taskQueue}`;

/**
 * Deletes what is past retention, brand by brand, in bounded batches. Each
 * batch is its own activity, so after a crash the run resumes where it left
 * off; the result (visible in Temporal UI) counts deletions per brand.
 */
export async function retentionWorkflow(input: RetentionInput = {}): Promise<RetentionReport> {
  const now = input.now ?? new Date(workflowInfo().startTime).toISOString();
  const batchSize = input.batchSize ?? 500;
  const report: RetentionReport = {};
  // Runs recorded before live events were pruned replay without the events target.
  const pruneEvents = patched('retention-prunes-events');
  for (const plan of await activities.retentionPlan({ now })) {
    const counts: RetentionReport[string] = {};
    const targets: [RetentionTarget, string][] = [
      ['messages', plan.transcriptsBefore],
      ['conversations', plan.transcriptsBefore],
      ['secureForms', plan.vaultBefore],
      ['vault', plan.vaultBefore],
    ];
    if (pruneEvents) targets.push(['events', plan.eventsBefore]);
    for (const [target, before] of targets) {
      let deleted = 0;
      for (;;) {
        const batch = await activities.deleteExpiredBatch({ brandId: plan.brandId, target, before, batchSize });
        deleted += batch;
        if (batch < batchSize) break;
      }
      if (deleted > 0) counts[target] = deleted;
    }
    report[plan.brandId] = counts;
  }
  let keys = 0;
  let sessions = 0;
  for (;;) {
    const batch = await activities.deleteExpiredCredentials({ now, batchSize });
    keys += batch.oneTimeKeys;
    sessions += batch.sessions;
    if (batch.oneTimeKeys < batchSize && batch.sessions < batchSize) break;
  }
  report['*'] = { oneTimeKeys: keys, sessions };
  return report;
}
