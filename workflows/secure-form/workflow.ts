import { allHandlersFinished, ApplicationFailure, condition, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { FormActivities, FormChange } from '../../activities/forms/index.js';
import {
  FormRejection, formOpenedSignal, formOpenedUpdate, formSubmittedSignal, formSubmittedUpdate, secureFormStateQuery,
  type FormOpened, type FormSubmitted, type SecureFormInput, type SecureFormState,
} from './definitions.js';

const { recordFormProgress } = proxyActivities<FormActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

const reject = (message: string, type: string) => ApplicationFailure.nonRetryable(message, type);
const isTime = (value: unknown) => typeof value === 'string' && !Number.isNaN(Date.parse(value));
const isNames = (value: unknown) => Array.isArray(value) && value.every((name) => typeof name === 'string');

function checkOpened(event: FormOpened) {
  if (!isTime(event?.at)) throw reject('An opening needs the time it happened ("at", ISO 8601)', 'InvalidFormEvent');
}

function checkSubmitted(event: FormSubmitted) {
  if (!isTime(event?.at) || !isNames(event.fieldNames) || !isNames(event.offRecordFields)) {
    throw reject('A submission needs "at" (ISO 8601), "fieldNames" and "offRecordFields" (lists of names)', 'InvalidFormEvent');
  }
  if (event.offRecordExpiresAt !== undefined && !isTime(event.offRecordExpiresAt)) throw reject('"offRecordExpiresAt" must be an ISO 8601 time', 'InvalidFormEvent');
  if (event.vaultRecordId !== undefined && typeof event.vaultRecordId !== 'string') throw reject('"vaultRecordId" must be a string', 'InvalidFormEvent');
}

/**
 * One secure-form exchange, linked to its conversation: sent → opened →
 * submitted (or expired), then the off-the-record countdown. Values never
 * pass through here — only the vault record's UUID and field names.
 *
 * This workflow is the only writer of the form's progress (through
 * recordFormProgress). The opening and submission updates complete only once
 * their step is recorded, so whoever answers the visitor afterwards knows the
 * agent's next read sees it. The main flow below is unchanged from when
 * openings and submissions were signals (still handled, for running
 * workflows and recorded histories): the updates only wait for its steps.
 */
export async function secureFormWorkflow(input: SecureFormInput): Promise<SecureFormState> {
  const state: SecureFormState = { formId: input.formId, status: 'sent', offRecordExpired: false };
  let openedAt: string | undefined;
  let submitted: FormSubmitted | undefined;
  /** Steps whose recordFormProgress completed: what the updates wait for. */
  const recorded = new Set<FormChange['kind']>();
  const record = async (change: FormChange) => {
    await recordFormProgress({ formId: input.formId, brandId: input.brandId, change });
    recorded.add(change.kind);
  };
  /** Waits until `kind` (or the expiry that overtook it) is recorded; a step the expiry overtook fails the update. */
  const recordedOrExpired = async (kind: FormChange['kind']): Promise<SecureFormState> => {
    await condition(() => recorded.has(kind) || recorded.has('expired'));
    if (!recorded.has(kind)) throw reject('This form expired', FormRejection.expired);
    return { ...state };
  };

  setHandler(formOpenedSignal, ({ at }) => {
    openedAt ??= at;
  });
  setHandler(formSubmittedSignal, (event) => {
    submitted ??= event;
  });
  setHandler(
    formOpenedUpdate,
    async ({ at }) => {
      openedAt ??= at;
      return recordedOrExpired('opened');
    },
    {
      validator: (event) => {
        checkOpened(event);
        if (state.status === 'expired') throw reject('This form expired', FormRejection.expired);
        if (openedAt !== undefined || submitted !== undefined) throw reject('This form was already opened', FormRejection.alreadyOpened);
      },
    },
  );
  setHandler(
    formSubmittedUpdate,
    async (event) => {
      submitted ??= event;
      return recordedOrExpired('submitted');
    },
    {
      validator: (event) => {
        checkSubmitted(event);
        if (submitted !== undefined) throw reject('This form was already submitted', FormRejection.alreadySubmitted);
        if (state.status === 'expired') throw reject('This form expired', FormRejection.expired);
        if (openedAt === undefined) throw reject('This form was not opened yet', FormRejection.notOpened);
      },
    },
  );
  setHandler(secureFormStateQuery, () => state);

  const untilLinkExpires = Math.max(1, new Date(input.linkExpiresAt).getTime() - Date.now());
  if (await condition(() => openedAt !== undefined || submitted !== undefined, untilLinkExpires)) {
    if (openedAt) {
      state.status = 'opened';
      await record({ kind: 'opened', at: openedAt });
    }
    await condition(() => submitted !== undefined, input.submitTtlMs);
  }
  if (!submitted) {
    state.status = 'expired';
    await record({ kind: 'expired', at: new Date().toISOString() });
    await condition(allHandlersFinished);
    return state;
  }

  state.status = 'submitted';
  await record({ kind: 'submitted', ...submitted });
  if (submitted.offRecordExpiresAt) {
    await sleep(Math.max(1, new Date(submitted.offRecordExpiresAt).getTime() - Date.now()));
    state.offRecordExpired = true;
    await record({ kind: 'offRecordExpired', at: new Date().toISOString() });
  }
  await condition(allHandlersFinished);
  return state;
}
