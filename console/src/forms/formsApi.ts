import { get, post } from '../api/client';
import type { FormStatus, FormTemplate, RevealedField } from './types';

const conversationForms = (conversationId: string) => `/api/v1/conversations/${encodeURIComponent(conversationId)}/forms`;
const formPath = (formId: string) => `/api/v1/forms/${encodeURIComponent(formId)}`;

/** The forms of a conversation the signed-in user may see, newest first. */
export async function listForms(conversationId: string): Promise<FormStatus[]> {
  return (await get<{ items: FormStatus[] }>(conversationForms(conversationId))).items;
}

export const readForm = (formId: string) => get<FormStatus>(formPath(formId));

export async function listTemplates(): Promise<FormTemplate[]> {
  return (await get<{ items: FormTemplate[] }>('/api/v1/form-templates')).items;
}

export const sendForm = (conversationId: string, templateId: string) =>
  post<{ formId: string; title: string; status: string; linkExpiresAt: string }>(conversationForms(conversationId), { templateId });

/** A fresh single-use reveal key, redeemed at once: each call is one audited reveal. */
export async function revealValues(formId: string): Promise<RevealedField[]> {
  const { key } = await post<{ key: string }>(`${formPath(formId)}/reveal-key`);
  return (await post<{ fields: RevealedField[] }>(`${formPath(formId)}/reveal`, { key })).fields;
}

/** Newest first, as the list route answers; a form read again replaces its older copy. */
export function upsertForm(forms: FormStatus[], form: FormStatus): FormStatus[] {
  const others = forms.filter((candidate) => candidate.formId !== form.formId);
  return [...others, form].sort((a, b) => b.sentAt.localeCompare(a.sentAt) || b.formId.localeCompare(a.formId));
}

export function offRecordLabels(form: Pick<FormStatus, 'fields'>): string {
  return form.fields.filter((field) => field.offRecord).map((field) => field.label).join(', ');
}
