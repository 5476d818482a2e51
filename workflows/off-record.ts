import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { OffRecordHolderActivities } from '../services/forms/off-record/holder-activities.js';
import type { SealedAnswers } from '../services/forms/off-record/sealed-box.js';

/** A replica's request to the replica holding a form's off-the-record answers (on that replica's own task queue). */
export type OffRecordRequest = { holderTaskQueue: string; formId: string; brandId: string } & (
  | { kind: 'read'; requesterPublicKey: string }
  | { kind: 'erase' }
);

export const offRecordRequestWorkflowId = (request: { kind: string; formId: string }, nonce: string) =>
  `off-record-${request.kind}:${request.formId}:${nonce}`;

/**
 * Carries one request to the holding process and its answer back: the answers sealed for the
 * requester (see sealed-box.ts), or null when they are gone. A holder that no longer polls (it
 * stopped, and its answers with it) leaves the task unstarted: gone after the schedule-to-start timeout.
 */
export async function offRecordRequestWorkflow(request: OffRecordRequest): Promise<SealedAnswers | null> {
  const holder = proxyActivities<OffRecordHolderActivities>({
    taskQueue: request.holderTaskQueue,
    scheduleToStartTimeout: '5 seconds',
    startToCloseTimeout: '5 seconds',
    retry: { maximumAttempts: 1 },
  });
  const form = { formId: request.formId, brandId: request.brandId };
  try {
    if (request.kind === 'read') return await holder.sealOffRecordAnswers({ ...form, requesterPublicKey: request.requesterPublicKey });
    await holder.eraseOffRecordAnswers(form);
    return null;
  } catch (error) {
    if (error instanceof ActivityFailure) return null;
    throw error;
  }
}
