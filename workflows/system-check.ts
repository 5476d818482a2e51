import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { SystemActivities } from '../activities/system/index.js';

export interface SystemCheckInput {
  /** Who asked: `startup`, an operator's name, a probe schedule. */
  requestedBy: string;
}

export interface SystemCheckResult {
  workflowId: string;
  requestedBy: string;
  databaseRoundTripMs: number;
  checkedAt: string;
}

const { recordSystemCheck } = proxyActivities<SystemActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumAttempts: 5 },
});

/**
 * End-to-end self-check: proves a worker polls the task queue, runs workflow
 * and activity code through the encrypted data converter, and reaches the
 * database. `npm start` runs one at boot, so Temporal UI shows it.
 */
export async function systemCheckWorkflow(input: SystemCheckInput): Promise<SystemCheckResult> {
  const { workflowId } = workflowInfo();
  const recorded = await recordSystemCheck({ workflowId, requestedBy: input.requestedBy });
  return { workflowId, requestedBy: input.requestedBy, ...recorded };
}
