import { defineQuery, defineSignal } from '@temporalio/workflow';

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
  at: string;
}

export interface SecureFormState {
  formId: string;
  status: FormStatus;
  offRecordExpired: boolean;
}

export const secureFormWorkflowId = (formId: string) => `secure-form:${formId}`;
export const formOpenedSignal = defineSignal<[{ at: string }]>('formOpened');
export const formSubmittedSignal = defineSignal<[FormSubmitted]>('formSubmitted');
export const secureFormStateQuery = defineQuery<SecureFormState>('state');
