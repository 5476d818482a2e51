import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import type { OffRecordAnswers } from '../../../services/forms/off-record/answers.js';
import { secureForms } from '../../../db/repositories/secure-forms.js';
import type { Vault } from '../../../services/forms/vault.js';
import { consumerPseudonym } from '../../../crypto/pseudonym.js';
import { Collections } from '../../../db/collections.js';
import type { FieldEncryption } from '../../../db/field-encryption.js';
import type { AuditLog } from '../../../db/repositories/audit-log.js';
import type { ConversationDocument } from '../../../db/repositories/conversations.js';
import type { MessageDocument } from '../../../db/repositories/messages.js';
import type { OptOutDocument } from '../../../db/repositories/opt-outs.js';
import { conversationReleasedSignal, routerWorkflowId } from '../../../workflows/routing/definitions.js';
import { secureFormWorkflowId } from '../../../workflows/secure-form/definitions.js';
import { toConversationView, toMessageView } from '../conversations/views.js';

const GRPC_NOT_FOUND = 5;

export interface PrivacyDependencies {
  db: Db;
  client: Client;
  namespace: string;
  fields: FieldEncryption;
  vault: Vault;
  /** This process's off-the-record answers (CVVs): erasure drops the consumer's at once. */
  offRecord: OffRecordAnswers;
  audit: AuditLog;
  pseudonymKey: Buffer;
}

export interface ConsumerRef {
  brandId: string;
  channel: 'sms' | 'messenger';
  /** E.164 number or Messenger PSID, as the consumer wrote from. */
  address: string;
}

async function findConsumer(deps: PrivacyDependencies, consumer: ConsumerRef) {
  const pseudonym = consumerPseudonym(deps.pseudonymKey, consumer);
  const conversations = await deps.db
    .collection<ConversationDocument>(Collections.conversations)
    .find({ brandId: consumer.brandId, 'consumer.pseudonym': pseudonym, channel: consumer.channel })
    .limit(10_000)
    .toArray();
  const ids = conversations.map((conversation) => conversation._id);
  const optOuts = await deps.db.collection<OptOutDocument>(Collections.optOuts).find({ brandId: consumer.brandId, consumerPseudonym: pseudonym }).toArray();
  const forms = await secureForms(deps.db).find({ brandId: consumer.brandId, conversationId: { $in: ids } }).toArray();
  return { pseudonym, conversations, ids, optOuts, forms };
}

/** Everything held about one consumer, as one document: never form values, never other consumers. */
export async function exportConsumer(deps: PrivacyDependencies, consumer: ConsumerRef) {
  const found = await findConsumer(deps, consumer);
  const messages = await deps.db.collection<MessageDocument>(Collections.messages).find({ brandId: consumer.brandId, conversationId: { $in: found.ids } }).sort({ createdAt: 1 }).limit(100_000).toArray();
  await deps.audit.record({ brandId: consumer.brandId, action: 'privacy.exported', actor: { kind: 'platform' }, details: { conversations: found.ids.length, messages: messages.length } });
  return {
    consumer: { channel: consumer.channel, id: found.pseudonym },
    exportedAt: new Date().toISOString(),
    conversations: found.conversations.map((conversation) => ({
      ...toConversationView(deps.fields, conversation),
      messages: messages.filter((message) => message.conversationId === conversation._id).map((message) => toMessageView(deps.fields, message)),
    })),
    optOuts: found.optOuts.map((optOut) => ({ entryPointId: optOut.entryPointId, optedOut: optOut.optedOut, history: optOut.history })),
    secureForms: found.forms.map((form) => ({ formId: form._id, title: form.title, status: form.status, sentAt: form.sentAt, fields: form.fields.map((field) => field.label) })),
  };
}

/** Erased conversations no longer count against their agent's capacity, nor wait in a queue (after their workflows are gone). */
async function releaseFromRouter(deps: PrivacyDependencies, brandId: string, conversations: ConversationDocument[]) {
  const router = deps.client.workflow.getHandle(routerWorkflowId(brandId));
  for (const conversation of conversations) {
    if (conversation.status !== 'open') continue;
    try {
      await router.signal(conversationReleasedSignal, { conversationId: conversation._id });
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      return; // no router: nothing holds a slot
    }
  }
}

/**
 * Erasure: transcripts, conversations, secure forms (off-the-record answers
 * dropped at once, vault records crypto-shredded, then deleted), live events, opt-out history, and the
 * conversation and form workflow executions in Temporal. An opt-out itself is
 * kept (without history or keyword): carriers' rules require honouring it.
 */
export async function eraseConsumer(deps: PrivacyDependencies, consumer: ConsumerRef) {
  const found = await findConsumer(deps, consumer);
  // First: off-the-record answers would otherwise stay readable until their timer ran out.
  // Nothing is deleted before they are gone: an unreachable holder fails the erasure (503 off_record_unreachable), which is safe to repeat.
  for (const form of found.forms) await deps.offRecord.erase(form);
  for (const form of found.forms) if (form.vaultRecordId) await deps.vault.shred(form.vaultRecordId);
  const workflowIds = new Set([...found.conversations.map((c) => c.workflowId), ...found.forms.map((form) => secureFormWorkflowId(form._id))]);
  let executions = 0;
  for (const workflowId of workflowIds) {
    for await (const run of deps.client.workflow.list({ query: `WorkflowId = '${workflowId.replace(/'/g, "\\'")}'` })) {
      try {
        await deps.client.connection.workflowService.deleteWorkflowExecution({ namespace: deps.namespace, workflowExecution: { workflowId: run.workflowId, runId: run.runId } });
        executions++;
      } catch (error) {
        // Visibility can still list a run Temporal already deleted: erasing twice is fine.
        if ((error as { code?: number }).code !== GRPC_NOT_FOUND) throw error;
      }
    }
  }
  await releaseFromRouter(deps, consumer.brandId, found.conversations);
  // Events of this consumer still waiting in the inbound journal (Temporal was down) go too.
  await deps.db.collection(Collections.inboundJournal).deleteMany({ key: { $in: found.conversations.map((c) => c.workflowId) } });
  const inConversations = { conversationId: { $in: found.ids } };
  const messages = await deps.db.collection(Collections.messages).deleteMany({ brandId: consumer.brandId, ...inConversations });
  await deps.db.collection(Collections.events).deleteMany({ brandId: consumer.brandId, ...inConversations });
  await secureForms(deps.db).deleteMany({ brandId: consumer.brandId, ...inConversations });
  await deps.db.collection<ConversationDocument>(Collections.conversations).deleteMany({ brandId: consumer.brandId, _id: { $in: found.ids } });
  await deps.db.collection<OptOutDocument>(Collections.optOuts).updateMany(
    { brandId: consumer.brandId, consumerPseudonym: found.pseudonym },
    { $set: { history: [] } },
  );
  await deps.db.collection<OptOutDocument>(Collections.optOuts).deleteMany({ brandId: consumer.brandId, consumerPseudonym: found.pseudonym, optedOut: false });
  const counts = { conversations: found.ids.length, messages: messages.deletedCount, secureForms: found.forms.length, workflowExecutions: executions };
  // That it happened, and how much: never who or what.
  await deps.audit.record({ brandId: consumer.brandId, action: 'privacy.erased', actor: { kind: 'platform' }, details: counts });
  return counts;
}
