import { secureForms } from '../../../activities/forms/secure-forms.js';
import { formOpenedSignal, formSubmittedSignal, secureFormWorkflowId } from '../../../workflows/secure-form/definitions.js';
import { validateSubmission, type FieldError } from '../../forms/field-types.js';
import { isOffRecord, type FormTemplate } from '../../forms/templates.js';
import type { FormDependencies } from './dependencies.js';
import { templateOfForm } from './send-form.js';

export type VisitorPage =
  | { kind: 'form'; brandName: string; template: FormTemplate; formId: string; submitKey: string; errors?: FieldError[]; values?: Record<string, string> }
  | { kind: 'gone' }
  | { kind: 'submitted'; brandName: string };

const REFILLABLE = new Set(['text', 'email', 'number']);

async function formPage(deps: FormDependencies, formId: string, extra: { errors?: FieldError[]; values?: Record<string, string> } = {}): Promise<VisitorPage> {
  const form = await secureForms(deps.db).findOne({ _id: formId });
  if (!form || form.status === 'submitted' || form.status === 'expired') return { kind: 'gone' };
  const template = templateOfForm(form);
  const brand = await deps.brands.get(form.brandId);
  const { key } = await deps.keys.issue({ action: 'submit', brandId: form.brandId, formId, ttlMs: deps.ttl.submitMs });
  return { kind: 'form', brandName: brand?.name ?? '', template, formId, submitKey: key, ...extra };
}

/** Step 2a: the visitor follows the link. The open key is spent; the page carries a fresh submit key. */
export async function openForm(deps: FormDependencies, key: string): Promise<VisitorPage> {
  const used = await deps.keys.consume(key, { action: 'open' });
  if (!used) return { kind: 'gone' };
  const page = await formPage(deps, used.formId);
  if (page.kind === 'form') {
    await deps.client.workflow.getHandle(secureFormWorkflowId(used.formId)).signal(formOpenedSignal, { at: new Date().toISOString() });
  }
  return page;
}

/**
 * Step 2b–4: the visitor submits. Wrong input re-renders with messages and a
 * new key, storing nothing. Valid input: on-record values into the vault
 * (only the UUID leaves), off-the-record ones into this process's memory, and
 * the workflow hears ids and names only.
 */
export async function submitForm(deps: FormDependencies, formId: string, body: Record<string, unknown>): Promise<VisitorPage> {
  const used = await deps.keys.consume(String(body.key ?? ''), { action: 'submit', formId });
  if (!used) return { kind: 'gone' };
  const form = await secureForms(deps.db).findOne({ _id: formId, brandId: used.brandId });
  if (!form || form.status === 'submitted' || form.status === 'expired') return { kind: 'gone' };
  const template = templateOfForm(form);
  const result = validateSubmission(template.fields, body);
  if (!result.ok) {
    const values = Object.fromEntries(
      template.fields.filter((field) => REFILLABLE.has(field.type) && typeof body[field.name] === 'string').map((field) => [field.name, String(body[field.name])]),
    );
    return formPage(deps, formId, { errors: result.errors, values });
  }
  const offRecordNames = template.fields.filter(isOffRecord).map((field) => field.name);
  const onRecord = Object.fromEntries(Object.entries(result.values).filter(([name]) => !offRecordNames.includes(name)));
  const offRecord = Object.fromEntries(Object.entries(result.values).filter(([name]) => offRecordNames.includes(name)));
  const vaultRecordId = Object.keys(onRecord).length > 0 ? await deps.vault.tokenize({ brandId: form.brandId, formId, values: onRecord }) : undefined;
  const offRecordExpiresAt = Object.keys(offRecord).length > 0 ? deps.offRecord.put(formId, offRecord, deps.ttl.offRecordMs) : undefined;
  await secureForms(deps.db).updateOne({ _id: formId }, { $set: { status: 'submitted', submittedAt: new Date(), ...(vaultRecordId ? { vaultRecordId } : {}), offRecordFields: Object.keys(offRecord), ...(offRecordExpiresAt ? { offRecordExpiresAt } : {}) } });
  await deps.client.workflow.getHandle(secureFormWorkflowId(formId)).signal(formSubmittedSignal, {
    ...(vaultRecordId ? { vaultRecordId } : {}),
    fieldNames: Object.keys(result.values),
    offRecordFields: Object.keys(offRecord),
    ...(offRecordExpiresAt ? { offRecordExpiresAt: offRecordExpiresAt.toISOString() } : {}),
    at: new Date().toISOString(),
  });
  const brand = await deps.brands.get(form.brandId);
  return { kind: 'submitted', brandName: brand?.name ?? '' };
}
