import { secureForms, type SecureFormDocument } from '../../../db/repositories/secure-forms.js';
import { VaultShreddedError } from '../../../services/forms/vault.js';
import type { Principal } from '../../auth/principal.js';
import { AppError, ForbiddenError, NotFoundError } from '../../errors.js';
import { maskForDisplay } from '../../forms/field-types.js';
import type { FieldType } from '../../forms/templates.js';
import type { FormDependencies } from './dependencies.js';

export class GoneError extends AppError {
  readonly status = 410;
  readonly defaultCode = 'gone';
}

const formNotFound = (id: string) => new NotFoundError({ code: 'form_not_found', message: `No secure form "${id}"` });

export type FormAccess = 'sender' | 'history';

/**
 * Who may see a form (its status, and once submitted its values): the agent who sent it, while its
 * conversation is open (off-the-record values included while they last); after the conversation closed,
 * a manager with secureForm.viewInHistory (never off-the-record values). Nobody else.
 */
export function formAccess(principal: Principal, form: Pick<SecureFormDocument, 'agentId'>, conversationOpen: boolean): FormAccess | undefined {
  if (principal.kind === 'user' && principal.userId === form.agentId && principal.permissions.has('secureForm.use') && conversationOpen) return 'sender';
  if (!conversationOpen && principal.permissions.has('secureForm.viewInHistory')) return 'history';
  return undefined;
}

/** The form of the principal's brand, if `formAccess` lets them see it; nobody of another brand finds it. */
export async function revealAccess(deps: FormDependencies, principal: Principal, formId: string): Promise<{ form: SecureFormDocument; mode: FormAccess }> {
  const form = await secureForms(deps.db).findOne({ _id: formId, brandId: principal.brandId });
  if (!form) throw formNotFound(formId);
  const conversation = await deps.conversations.getForBrand(principal.brandId, form.conversationId);
  const open = conversation?.status === 'open';
  const mode = formAccess(principal, form, open);
  if (mode) return { form, mode };
  if (principal.kind === 'user' && principal.userId === form.agentId && !open) {
    throw new ForbiddenError({ code: 'conversation_closed', message: 'Secure form values are available only while the conversation is open' });
  }
  throw new ForbiddenError({ code: 'not_form_sender', message: 'Only the agent who sent this form can see what was entered' });
}

/** Step 5: a single-use reveal key, bound to this agent, form, brand and the action "reveal". */
export async function issueRevealKey(deps: FormDependencies, principal: Principal, formId: string) {
  const { form } = await revealAccess(deps, principal, formId);
  if (form.status !== 'submitted') throw new GoneError({ code: 'not_submitted', message: 'The visitor has not submitted this form (yet)' });
  return deps.keys.issue({ action: 'reveal', brandId: form.brandId, formId, agentId: principal.userId ?? 'integration', ttlMs: deps.ttl.revealMs });
}

/** Steps 6–7: redeem the key, check authorization again, detokenize. Every reveal is audited. */
export async function revealForm(deps: FormDependencies, principal: Principal, formId: string, key: string) {
  // Who may see it first (another brand's form is simply not found), then the key, then again who (inside revealAccess).
  await revealAccess(deps, principal, formId);
  const used = await deps.keys.consume(key, { action: 'reveal', formId, brandId: principal.brandId, agentId: principal.userId ?? 'integration' });
  if (!used) throw new ForbiddenError({ code: 'invalid_key', message: 'This reveal key is not valid: ask for a new one' });
  const { form, mode } = await revealAccess(deps, principal, formId);
  const actor = principal.kind === 'user' ? { kind: 'user' as const, id: principal.userId! } : { kind: 'integration' as const };
  let values: Record<string, string> = {};
  try {
    values = form.vaultRecordId ? ((await deps.vault.detokenize(form.vaultRecordId, form.brandId)) ?? {}) : {};
  } catch (error) {
    if (error instanceof VaultShreddedError) throw new GoneError({ code: 'erased', message: 'These values were erased' });
    throw error;
  }
  const offRecordNames = form.offRecordFields ?? [];
  if (mode === 'sender' && offRecordNames.length > 0) {
    // Held by a replica that cannot be asked now: 503 off_record_unreachable (api/middleware/error-handler.ts).
    const offRecord = await deps.offRecord.read(form);
    if (!offRecord) {
      await deps.audit.record({ brandId: form.brandId, action: 'form.reveal_refused', actor, target: { kind: 'secure_form', id: formId }, details: { reason: 'off_record_expired' } });
      throw new GoneError({ code: 'off_record_expired', message: 'The off-the-record answers are gone (they are kept only briefly): ask the visitor to resend the form' });
    }
    values = { ...values, ...offRecord };
  }
  await deps.audit.record({ brandId: form.brandId, action: 'form.revealed', actor, target: { kind: 'secure_form', id: formId }, details: { mode, fields: Object.keys(values) } });
  const typeOf = new Map(form.fields.map((field) => [field.name, field.type as FieldType]));
  return {
    formId,
    fields: form.fields
      .filter((field) => values[field.name] !== undefined)
      .map((field) => ({
        name: field.name, label: field.label, offRecord: field.offRecord, value: values[field.name]!,
        display: maskForDisplay({ name: field.name, label: field.label, type: typeOf.get(field.name)!, required: false }, values[field.name]!),
      })),
  };
}
