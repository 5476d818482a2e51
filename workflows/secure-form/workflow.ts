import { condition, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { FormActivities } from '../../activities/forms/index.js';
import { formOpenedSignal, formSubmittedSignal, secureFormStateQuery, type FormSubmitted, type SecureFormInput, type SecureFormState } from './definitions.js';

const { recordFormProgress } = proxyActivities<FormActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/**
 * One secure-form exchange, linked to its conversation: sent → opened →
 * submitted (or expired), then the off-the-record countdown. Values never
 * pass through here — only the vault record's UUID and field names.
 */
export async function secureFormWorkflow(input: SecureFormInput): Promise<SecureFormState> {
  const state: SecureFormState = { formId: input.formId, status: 'sent', offRecordExpired: false };
  let openedAt: string | undefined;
  let submitted: FormSubmitted | undefined;
  setHandler(formOpenedSignal, ({ at }) => {
    openedAt ??= at;
  });
  setHandler(formSubmittedSignal, (event) => {
    submitted ??= event;
  });
  setHandler(secureFormStateQuery, () => state);

  const untilLinkExpires = Math.max(1, new Date(input.linkExpiresAt).getTime() - Date.now());
  if (await condition(() => openedAt !== undefined || submitted !== undefined, untilLinkExpires)) {
    if (openedAt) {
      state.status = 'opened';
      await recordFormProgress({ formId: input.formId, brandId: input.brandId, change: { kind: 'opened', at: openedAt } });
    }
    await condition(() => submitted !== undefined, input.submitTtlMs);
  }
  if (!submitted) {
    state.status = 'expired';
    await recordFormProgress({ formId: input.formId, brandId: input.brandId, change: { kind: 'expired', at: new Date().toISOString() } });
    return state;
  }

  state.status = 'submitted';
  await recordFormProgress({ formId: input.formId, brandId: input.brandId, change: { kind: 'submitted', ...submitted } });
  if (submitted.offRecordExpiresAt) {
    await sleep(Math.max(1, new Date(submitted.offRecordExpiresAt).getTime() - Date.now()));
    state.offRecordExpired = true;
    await recordFormProgress({ formId: input.formId, brandId: input.brandId, change: { kind: 'offRecordExpired', at: new Date().toISOString() } });
  }
  return state;
}
