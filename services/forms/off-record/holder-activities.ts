import { sealAnswers, type SealedAnswers } from './sealed-box.js';
import type { OffRecordStore } from './store.js';

export interface HeldFormRef {
  formId: string;
  brandId: string;
}

/**
 * What the process holding off-the-record answers does for another replica, on a task queue only it
 * polls: hand them over sealed for the requester, or erase them. Nothing here is retried or stored.
 */
export function createOffRecordHolderActivities(store: OffRecordStore) {
  return {
    async sealOffRecordAnswers(input: HeldFormRef & { requesterPublicKey: string }): Promise<SealedAnswers | null> {
      const values = store.get(input.formId, input.brandId);
      return values ? sealAnswers(values, { formId: input.formId, requesterPublicKey: input.requesterPublicKey }) : null;
    },
    async eraseOffRecordAnswers(input: HeldFormRef): Promise<void> {
      store.erase(input.formId, input.brandId);
    },
  };
}

export type OffRecordHolderActivities = ReturnType<typeof createOffRecordHolderActivities>;
