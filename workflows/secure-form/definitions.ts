import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

export type FormStatus = 'sent' | 'opened' | 'submitted' | 'expired';

export interface SecureFormInput {
  formId: string;
  brandId: string;
  conversationId: string;
  agentId: string;
  title: string;
  /** The visitor must open the link by then, and submit within submitTtlMs of opening. */
  linkExpiresAt: string;
  submitTtlMs: number;
}

/** Ids and names only: values never travel through Temporal. */
export interface FormSubmitted {
  vaultRecordId?: string;
  fieldNames: string[];
  offRecordFields: string[];
  offRecordExpiresAt?: string;
  /** The task queue of the API process holding the off-the-record answers (services/forms/off-record). */
  offRecordHolder?: string;
  at: string;
}

export interface FormOpened {
  at: string;
}

export interface SecureFormState {
  formId: string;
  status: FormStatus;
  offRecordExpired: boolean;
}

/** Why the workflow refused an opening or a submission (the ApplicationFailure's type). */
export const FormRejection = {
  alreadyOpened: 'FormAlreadyOpened',
  notOpened: 'FormNotOpened',
  alreadySubmitted: 'FormAlreadySubmitted',
  expired: 'FormExpired',
} as const;

export const secureFormWorkflowId = (formId: string) => `secure-form:${formId}`;

/**
 * The visitor opened the link. Completes once the form's document says
 * "opened" (recorded by the workflow's activity), so the agent's next read
 * sees it. Refused unless the form is still waiting to be opened.
 */
export const formOpenedUpdate = defineUpdate<SecureFormState, [FormOpened]>('openForm');
/**
 * The visitor submitted (ids and names only). Completes once the form's
 * document says "submitted" with its vault record, so the agent's next status
 * read and reveal see it. Refused before opening, a second time, and after expiry.
 */
export const formSubmittedUpdate = defineUpdate<SecureFormState, [FormSubmitted]>('submitForm');

/** Fire-and-forget predecessors of the updates, no longer sent: still handled for workflows (and recorded histories) that received them. */
export const formOpenedSignal = defineSignal<[FormOpened]>('formOpened');
/** No longer sent: see formOpenedSignal. */
export const formSubmittedSignal = defineSignal<[FormSubmitted]>('formSubmitted');
export const secureFormStateQuery = defineQuery<SecureFormState>('state');
