import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { secureForms, type SecureFormDocument } from '../../../db/repositories/secure-forms.js';
import { FormRejection, formOpenedUpdate, formSubmittedUpdate, secureFormWorkflowId } from '../../../workflows/secure-form/definitions.js';
import { validateSubmission, type FieldError } from '../../forms/field-types.js';
import { isOffRecord, type FormTemplate } from '../../forms/templates.js';
import type { FormDependencies } from './dependencies.js';
import { templateOfForm } from './send-form.js';

export type VisitorPage =
  | { kind: 'form'; brandName: string; template: FormTemplate; formId: string; submitKey: string; errors?: FieldError[]; values?: Record<string, string> }
  | { kind: 'link'; key: string }
  | { kind: 'gone' }
  | { kind: 'submitted'; brandName: string };

const VISITOR_DEADLINE_MS = 20_000;
const REFILLABLE = new Set(['text', 'email', 'number']);
const refusals = new Set<string>(Object.values(FormRejection));

/** Submitted or expired: its links are spent. */
const isOver = (form: SecureFormDocument) => form.status === 'submitted' || form.status === 'expired';

async function formPage(deps: FormDependencies, form: SecureFormDocument, extra: { errors?: FieldError[]; values?: Record<string, string> } = {}): Promise<VisitorPage> {
  const template = templateOfForm(form);
  const brand = await deps.brands.get(form.brandId);
  const { key } = await deps.keys.issue({ action: 'submit', brandId: form.brandId, formId: form._id, ttlMs: deps.ttl.submitMs });
  return { kind: 'form', brandName: brand?.name ?? '', template, formId: form._id, submitKey: key, ...extra };
}

/**
 * Runs one of the form workflow's updates. True once the workflow recorded
 * the step (the agent's next read shows it); false when the workflow refused
 * it (expired, already opened or submitted) or is over. Anything else is a
 * fault and is thrown.
 */
async function recordedByWorkflow(deps: FormDependencies, step: () => Promise<unknown>): Promise<boolean> {
  try {
    // No worker for this long (a restart): the visitor hears 503 rather than waiting on an open request.
    await deps.client.connection.withDeadline(Date.now() + VISITOR_DEADLINE_MS, step);
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && refusals.has(error.cause.type ?? '')) return false;
    throw error;
  }
}

/**
 * Step 2a: the link is fetched (by the visitor, or by a previewer building a
 * card). Nothing is spent and the workflow hears nothing: a usable link gets
 * the page whose button opens it (openForm), a spent one the "gone" page.
 */
export async function showFormLink(deps: FormDependencies, key: string): Promise<VisitorPage> {
  const link = await deps.keys.peek(key, { action: 'open' });
  if (!link) return { kind: 'gone' };
  const form = await secureForms(deps.db).findOne({ _id: link.formId, brandId: link.brandId });
  if (!form || isOver(form)) return { kind: 'gone' };
  return { kind: 'link', key };
}

/**
 * Step 2b: the visitor presses "Open" (a POST of the open key). The key is
 * spent; once the workflow recorded the opening, the page carries a fresh
 * submit key.
 */
export async function openForm(deps: FormDependencies, key: string): Promise<VisitorPage> {
  const used = await deps.keys.consume(key, { action: 'open' });
  if (!used) return { kind: 'gone' };
  const form = await secureForms(deps.db).findOne({ _id: used.formId });
  if (!form || isOver(form)) return { kind: 'gone' };
  const handle = deps.client.workflow.getHandle(secureFormWorkflowId(form._id));
  if (!(await recordedByWorkflow(deps, () => handle.executeUpdate(formOpenedUpdate, { args: [{ at: new Date().toISOString() }] })))) return { kind: 'gone' };
  return formPage(deps, form);
}

/**
 * Step 2c–4: the visitor submits. Wrong input re-renders with messages and a
 * new key, storing nothing. Valid input: on-record values into the vault
 * (only the UUID leaves), off-the-record ones into this process's memory, and
 * the workflow hears ids and names only. "Thank you" comes only once the
 * workflow recorded the submission; if it refused (expired, say) the values
 * just stored are destroyed and the link is gone.
 */
export async function submitForm(deps: FormDependencies, formId: string, body: Record<string, unknown>): Promise<VisitorPage> {
  const used = await deps.keys.consume(String(body.key ?? ''), { action: 'submit', formId });
  if (!used) return { kind: 'gone' };
  const form = await secureForms(deps.db).findOne({ _id: formId, brandId: used.brandId });
  if (!form || isOver(form)) return { kind: 'gone' };
  const template = templateOfForm(form);
  const result = validateSubmission(template.fields, body);
  if (!result.ok) {
    const values = Object.fromEntries(
      template.fields.filter((field) => REFILLABLE.has(field.type) && typeof body[field.name] === 'string').map((field) => [field.name, String(body[field.name])]),
    );
    return formPage(deps, form, { errors: result.errors, values });
  }
  const offRecordNames = template.fields.filter(isOffRecord).map((field) => field.name);
  const onRecord = Object.fromEntries(Object.entries(result.values).filter(([name]) => !offRecordNames.includes(name)));
  const offRecord = Object.fromEntries(Object.entries(result.values).filter(([name]) => offRecordNames.includes(name)));
  const vaultRecordId = Object.keys(onRecord).length > 0 ? await deps.vault.tokenize({ brandId: form.brandId, formId, values: onRecord }) : undefined;
  const held = Object.keys(offRecord).length > 0 ? await deps.offRecord.hold({ formId, brandId: form.brandId }, offRecord, deps.ttl.offRecordMs) : undefined;
  const handle = deps.client.workflow.getHandle(secureFormWorkflowId(formId));
  const recorded = await recordedByWorkflow(deps, () =>
    handle.executeUpdate(formSubmittedUpdate, {
      args: [{
        ...(vaultRecordId ? { vaultRecordId } : {}),
        fieldNames: Object.keys(result.values),
        offRecordFields: Object.keys(offRecord),
        ...(held ? { offRecordExpiresAt: held.expiresAt.toISOString(), offRecordHolder: held.holder } : {}),
        at: new Date().toISOString(),
      }],
    }),
  );
  if (!recorded) {
    if (held) await deps.offRecord.erase({ _id: formId, brandId: form.brandId });
    if (vaultRecordId) await deps.vault.shred(vaultRecordId);
    return { kind: 'gone' };
  }
  const brand = await deps.brands.get(form.brandId);
  return { kind: 'submitted', brandName: brand?.name ?? '' };
}
