import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { ConversationDocument } from '../../../db/repositories/conversations.js';
import { closeUpdate, RejectionType, reopenUpdate, replyUpdate, transferUpdate } from '../../../workflows/conversation/definitions.js';
import { acceptUpdate, RouterRejection, routerWorkflowId } from '../../../workflows/routing/definitions.js';
import { ConflictError, ValidationError } from '../../errors.js';

const rejectionCodes: Record<string, string> = {
  [RejectionType.conversationClosed]: 'conversation_closed',
  [RejectionType.invalidReply]: 'invalid_reply',
  [RejectionType.optedOut]: 'consumer_opted_out',
  [RejectionType.outsideWindow]: 'outside_messaging_window',
  [RejectionType.invalidTransfer]: 'invalid_transfer',
  [RejectionType.notReopenable]: 'not_reopenable',
  [RouterRejection.notWaiting]: 'not_waiting',
  [RouterRejection.notEligible]: 'not_eligible',
};

/** Update rejections carry the workflow's reason: 409 (or 400 for a bad reply) with that reason. */
async function asAgentAction<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new ConflictError({ code: 'conversation_closed', message: 'This conversation is closed' });
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      const code = rejectionCodes[error.cause.type ?? ''];
      if (code === 'invalid_reply') throw new ValidationError({ code, message: error.cause.message });
      if (code) throw new ConflictError({ code, message: error.cause.message });
    }
    throw error;
  }
}

const handleFor = (client: Client, conversation: ConversationDocument) => client.workflow.getHandle(conversation.workflowId);

export function replyToConversation(client: Client, conversation: ConversationDocument, input: { text: string; agentId?: string; messageId?: string }) {
  const messageId = input.messageId ?? `msg_${randomUUID()}`;
  return asAgentAction(() =>
    handleFor(client, conversation).executeUpdate(replyUpdate, {
      args: [{ conversationId: conversation._id, messageId, text: input.text, ...(input.agentId ? { agentId: input.agentId } : {}) }],
      updateId: messageId,
    }),
  );
}

export function closeConversation(client: Client, conversation: ConversationDocument, input: { reason?: string; agentId?: string }) {
  return asAgentAction(() =>
    handleFor(client, conversation).executeUpdate(closeUpdate, {
      args: [{ conversationId: conversation._id, reason: input.reason ?? 'closed_by_agent', ...(input.agentId ? { closedBy: input.agentId } : {}) }],
    }),
  );
}

export function transferConversation(
  client: Client,
  conversation: ConversationDocument,
  input: { toAgentId?: string; toQueueId?: string; note?: string; byAgentId?: string },
) {
  return asAgentAction(() =>
    handleFor(client, conversation).executeUpdate(transferUpdate, { args: [{ conversationId: conversation._id, ...input }] }),
  );
}

export function reopenConversation(client: Client, conversation: ConversationDocument, input: { agentId?: string }) {
  return asAgentAction(() => handleFor(client, conversation).executeUpdate(reopenUpdate, { args: [{ conversationId: conversation._id, ...input }] }));
}

/** Manual accept goes to the brand's router, the single writer of assignments. */
export function acceptConversation(client: Client, conversation: ConversationDocument, agentId: string) {
  return asAgentAction(() =>
    client.workflow.getHandle(routerWorkflowId(conversation.brandId)).executeUpdate(acceptUpdate, { args: [{ conversationId: conversation._id, agentId }] }),
  );
}
