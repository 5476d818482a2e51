/** Shapes of the secure-form routes (see /openapi.json: FormStatus, FormTemplateView, the reveal answer). */
export type FormProgress = 'sent' | 'opened' | 'submitted' | 'expired';

export interface FormStatus {
  formId: string;
  title: string;
  status: FormProgress;
  templateId: string;
  conversationId: string;
  agentId: string;
  fields: { name: string; label: string; offRecord: boolean }[];
  sentAt: string;
  linkExpiresAt: string;
  openedAt?: string;
  submittedAt?: string;
  /** Submitted forms with off-the-record fields: when those answers are erased. */
  offRecordExpiresAt?: string;
  offRecordExpired?: boolean;
}

export interface FormTemplate {
  id: string;
  title: string;
  intro?: string;
  builtIn: boolean;
  fields: { name: string; label: string; type: string; required: boolean; help?: string; offRecord?: boolean }[];
}

/** One submitted value: held in component memory only, never in storage or logs. */
export interface RevealedField {
  name: string;
  label: string;
  offRecord: boolean;
  value: string;
  display: string;
}
