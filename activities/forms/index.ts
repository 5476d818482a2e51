import type { Db } from 'mongodb';
import { AuditLog } from '../../db/repositories/audit-log.js';
import type { FieldEncryption } from '../../db/field-encryption.js';
import { messageTextContext, newMessage } from '../../db/repositories/field-contexts.js';
import { MessageRepository } from '../../db/repositories/messages.js';
import { publishConversationEvent } from '../routing/conversation-events.js';
import { secureForms } from '../../db/repositories/secure-forms.js';

export type FormChange =
  | { kind: 'opened'; at: string }
  | { kind: 'submitted'; vaultRecordId?: string; fieldNames: string[]; offRecordFields: string[]; offRecordExpiresAt?: string; offRecordHolder?: string; at: string }
  | { kind: 'expired'; at: string }
  | { kind: 'offRecordExpired'; at: string };

export function createFormActivities(deps: { db: Db; fields: FieldEncryption }) {
  const forms = secureForms(deps.db);
  const audit = new AuditLog(deps.db);
  const messages = new MessageRepository(deps.db);

  return {
    /** Records a step of a secure form (document, transcript line, live event to its agent); idempotent per step. */
    async recordFormProgress(input: { formId: string; brandId: string; change: FormChange }) {
      const { change } = input;
      const at = new Date(change.at);
      const form = await forms.findOne({ _id: input.formId, brandId: input.brandId });
      if (!form) return;
      if (change.kind === 'opened') await forms.updateOne({ _id: form._id, status: 'sent' }, { $set: { status: 'opened', openedAt: at } });
      if (change.kind === 'expired') await forms.updateOne({ _id: form._id, status: { $in: ['sent', 'opened'] } }, { $set: { status: 'expired' } });
      if (change.kind === 'offRecordExpired') await forms.updateOne({ _id: form._id }, { $set: { offRecordExpired: true } });
      if (change.kind === 'submitted') {
        await forms.updateOne(
          { _id: form._id },
          {
            $set: {
              status: 'submitted', submittedAt: at, offRecordFields: change.offRecordFields,
              ...(change.vaultRecordId ? { vaultRecordId: change.vaultRecordId } : {}),
              ...(change.offRecordExpiresAt ? { offRecordExpiresAt: new Date(change.offRecordExpiresAt) } : {}),
              ...(change.offRecordHolder ? { offRecordHolder: change.offRecordHolder } : {}),
            },
          },
        );
        // The transcript says that it happened, never what was entered.
        const note = newMessage(`form:${form._id}:submitted`, form);
        await messages.insertOnce({
          ...note, direction: 'internal', channel: 'sms', kind: 'secure_form',
          text: deps.fields.seal(`Secure form “${form.title}” submitted`, messageTextContext(note)), attachments: [],
          status: 'received', statusHistory: [{ status: 'received', at }], agentId: form.agentId, createdAt: at,
        });
        await audit.record({
          id: `form:${form._id}:submitted`, brandId: form.brandId, action: 'form.submitted', actor: { kind: 'system' },
          target: { kind: 'secure_form', id: form._id }, details: { conversationId: form.conversationId, fields: change.fieldNames }, at,
        });
      }
      await publishConversationEvent(deps.db, {
        conversationId: form.conversationId,
        type: `form.${change.kind}` as 'form.submitted',
        key: `form:${form._id}:${change.kind}`,
        data: { formId: form._id, title: form.title, ...(change.kind === 'submitted' ? { offRecordExpiresAt: change.offRecordExpiresAt } : {}) },
        onlyTo: [form.agentId],
      });
    },
  };
}

export type FormActivities = ReturnType<typeof createFormActivities>;
