import { secureForms, type SecureFormDocument } from '../../../db/repositories/secure-forms.js';
import type { ConversationDocument } from '../../../db/repositories/conversations.js';
import type { Principal } from '../../auth/principal.js';
import type { FormDependencies } from './dependencies.js';
import { formAccess } from './reveal.js';

/** A form's progress as agents see it: never a value, and no one-time key. */
export function toFormStatusView(form: SecureFormDocument, now = Date.now()) {
  return {
    formId: form._id, title: form.title, status: form.status, templateId: form.templateId, conversationId: form.conversationId, agentId: form.agentId,
    fields: form.fields.map(({ name, label, offRecord }) => ({ name, label, offRecord: offRecord === true })),
    sentAt: form.sentAt.toISOString(), linkExpiresAt: form.linkExpiresAt.toISOString(),
    ...(form.openedAt ? { openedAt: form.openedAt.toISOString() } : {}),
    ...(form.submittedAt ? { submittedAt: form.submittedAt.toISOString() } : {}),
    ...(form.offRecordExpiresAt
      ? { offRecordExpiresAt: form.offRecordExpiresAt.toISOString(), offRecordExpired: form.offRecordExpired === true || form.offRecordExpiresAt.getTime() <= now }
      : {}),
  };
}

/** Enough for any real conversation; the newest `limit` of those the principal may see are answered. */
const readAtMost = 500;

/** The conversation's forms the principal may see (the rule of GET /api/v1/forms/:formId), newest first. */
export async function formsOfConversation(deps: Pick<FormDependencies, 'db'>, principal: Principal, conversation: ConversationDocument, limit = 50) {
  const open = conversation.status === 'open';
  const forms = await secureForms(deps.db)
    .find({ conversationId: conversation._id, brandId: conversation.brandId })
    .sort({ sentAt: -1, _id: -1 })
    .limit(readAtMost)
    .toArray();
  const now = Date.now();
  return forms.filter((form) => formAccess(principal, form, open)).slice(0, limit).map((form) => toFormStatusView(form, now));
}
