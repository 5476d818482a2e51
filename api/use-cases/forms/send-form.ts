import { randomUUID } from 'node:crypto';
import type { Collection } from 'mongodb';
import { secureForms } from '../../../db/repositories/secure-forms.js';
import { Collections } from '../../../db/collections.js';
import type { ConversationDocument } from '../../../db/repositories/conversations.js';
import { secureFormWorkflowId } from '../../../workflows/secure-form/definitions.js';
import type { secureFormWorkflow } from '../../../workflows/secure-form/workflow.js';
import type { Principal } from '../../auth/principal.js';
import { NotFoundError } from '../../errors.js';
import { builtInTemplates, isOffRecord, type FormTemplate } from '../../forms/templates.js';
import { replyToConversation } from '../conversations/agent-actions.js';
import type { FormDependencies } from './dependencies.js';

export interface TemplateDocument extends FormTemplate {
  _id: string;
  brandId: string;
}

export function templatesOf(deps: Pick<FormDependencies, 'db'>): Collection<TemplateDocument> {
  return deps.db.collection<TemplateDocument>(Collections.formTemplates);
}

export async function findTemplate(deps: Pick<FormDependencies, 'db'>, brandId: string, id: string): Promise<FormTemplate> {
  const builtIn = builtInTemplates.find((template) => template.id === id);
  if (builtIn) return builtIn;
  const custom = await templatesOf(deps).findOne({ _id: `${brandId}:${id}`, brandId });
  if (!custom) throw new NotFoundError({ code: 'template_not_found', message: `No form template "${id}"` });
  return { id: custom.id, title: custom.title, ...(custom.intro ? { intro: custom.intro } : {}), fields: custom.fields };
}

/**
 * Step 1: the agent sends a form. A form record, an "open" one-time key, the
 * link delivered into the conversation as the agent's message (so it obeys
 * the conversation's rules: open, opted in, inside Messenger's window), and
 * the form's own workflow.
 */
export async function sendSecureForm(deps: FormDependencies, principal: Principal, conversation: ConversationDocument, templateId: string) {
  const template = await findTemplate(deps, principal.brandId, templateId);
  const formId = randomUUID();
  const agentId = principal.userId!;
  const now = new Date();
  const linkExpiresAt = new Date(now.getTime() + deps.ttl.linkMs);
  await secureForms(deps.db).insertOne({
    _id: formId, brandId: principal.brandId, conversationId: conversation._id, agentId, templateId: template.id, title: template.title,
    ...(template.intro ? { intro: template.intro } : {}),
    fields: template.fields.map((field) => ({
      name: field.name, label: field.label, type: field.type, offRecord: isOffRecord(field), required: field.required, ...(field.help ? { help: field.help } : {}),
    })),
    status: 'sent', sentAt: now, linkExpiresAt,
  });
  const { key } = await deps.keys.issue({ action: 'open', brandId: principal.brandId, formId, ttlMs: deps.ttl.linkMs });
  const brand = await deps.brands.get(principal.brandId);
  await replyToConversation(deps.client, conversation, {
    text: `${brand?.name ?? 'We'} sent you a secure form, “${template.title}”: ${deps.publicBaseUrl}/forms/${key} (valid ${Math.round(deps.ttl.linkMs / 60_000)} minutes, single use)`,
    agentId,
  });
  await deps.client.workflow.start<typeof secureFormWorkflow>('secureFormWorkflow', {
    workflowId: secureFormWorkflowId(formId),
    taskQueue: deps.taskQueue,
    args: [{ formId, brandId: principal.brandId, conversationId: conversation._id, agentId, title: template.title, linkExpiresAt: linkExpiresAt.toISOString(), submitTtlMs: deps.ttl.submitMs }],
  });
  await deps.audit.record({ brandId: principal.brandId, action: 'form.sent', actor: { kind: 'user', id: agentId }, target: { kind: 'secure_form', id: formId }, details: { conversationId: conversation._id, templateId: template.id } });
  return { formId, title: template.title, status: 'sent' as const, linkExpiresAt: linkExpiresAt.toISOString() };
}

/** The template a form was sent with (its snapshot), whatever the brand's templates say now. */
export function templateOfForm(form: { templateId: string; title: string; intro?: string; fields: { name: string; label: string; type: string; offRecord: boolean; required?: boolean; help?: string }[] }): FormTemplate {
  return {
    id: form.templateId,
    title: form.title,
    ...(form.intro ? { intro: form.intro } : {}),
    fields: form.fields.map((field) => ({
      name: field.name, label: field.label, type: field.type as FormTemplate['fields'][number]['type'], required: field.required ?? true,
      ...(field.help ? { help: field.help } : {}), ...(field.offRecord ? { offRecord: true } : {}),
    })),
  };
}
