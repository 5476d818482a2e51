import { randomUUID } from 'node:crypto';
import { isGrpcServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { ConversationDocument } from '../../../db/repositories/conversations.js';
import {
  acceptConversationUpdate, cancelMessageUpdate, closeUpdate, RejectionType, reopenUpdate, replyUpdate, retryMessageUpdate, transferUpdate,
} from '../../../workflows/conversation/definitions.js';
import { RouterRejection } from '../../../workflows/routing/definitions.js';
import { ConflictError, ServiceUnavailableError, ValidationError } from '../../errors.js';
import { refuseSensitiveAgentText } from './sensitive-text.js';

/** An update waits for a worker to run it: past this, the agent hears 503 and may safely try again (updates are deduplicated by id). */
const ACTION_DEADLINE_MS = 20_000;
const GRPC_DEADLINE_EXCEEDED = 4;

const rejectionCodes: Record<string, string> = {
  [RejectionType.conversationClosed]: 'conversation_closed',
  [RejectionType.invalidReply]: 'invalid_reply',
  [RejectionType.optedOut]: 'consumer_opted_out',
  [RejectionType.outsideWindow]: 'outside_messaging_window',
  [RejectionType.invalidTransfer]: 'invalid_transfer',
  [RejectionType.notReopenable]: 'not_reopenable',
  [RejectionType.messageIdTaken]: 'message_id_taken',
  [RejectionType.messageNotRetryable]: 'message_not_retryable',
  [RejectionType.messageNotCancelable]: 'message_not_cancelable',
  [RouterRejection.notWaiting]: 'not_waiting',
  [RouterRejection.notEligible]: 'not_eligible',
};

/** Update rejections carry the workflow's reason: 409 (or 400 for a bad reply) with that reason. */
async function asAgentAction<T>(client: Client, action: () => Promise<T>): Promise<T> {
  try {
    return await client.connection.withDeadline(Date.now() + ACTION_DEADLINE_MS, action);
  } catch (error) {
    const grpc = isGrpcServiceError(error) ? error : isGrpcServiceError((error as { cause?: unknown })?.cause) ? (error as { cause: { code: number } }).cause : undefined;
    if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || grpc?.code === GRPC_DEADLINE_EXCEEDED) {
      throw new ServiceUnavailableError({
        code: 'conversation_unavailable',
        message: 'The conversation did not answer in time (a worker may be restarting); try again shortly (a reply keeps its messageId, so it is never sent twice)',
      });
    }
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
  refuseSensitiveAgentText({ text: input.text });
  const messageId = input.messageId ?? `msg_${randomUUID()}`;
  return asAgentAction(client, () =>
    handleFor(client, conversation).executeUpdate(replyUpdate, {
      args: [{ conversationId: conversation._id, messageId, text: input.text, ...(input.agentId ? { agentId: input.agentId } : {}) }],
      updateId: messageId,
    }),
  );
}

export function closeConversation(client: Client, conversation: ConversationDocument, input: { reason?: string; agentId?: string }) {
  refuseSensitiveAgentText({ reason: input.reason });
  return asAgentAction(client, () =>
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
  refuseSensitiveAgentText({ note: input.note });
  return asAgentAction(client, () =>
    handleFor(client, conversation).executeUpdate(transferUpdate, { args: [{ conversationId: conversation._id, ...input }] }),
  );
}

export function reopenConversation(client: Client, conversation: ConversationDocument, input: { agentId?: string }) {
  return asAgentAction(client, () => handleFor(client, conversation).executeUpdate(reopenUpdate, { args: [{ conversationId: conversation._id, ...input }] }));
}

/** Manual accept: the brand's router decides (single writer of assignments), the conversation records it, then we answer. */
export function acceptConversation(client: Client, conversation: ConversationDocument, agentId: string) {
  return asAgentAction(client, () => handleFor(client, conversation).executeUpdate(acceptConversationUpdate, { args: [{ conversationId: conversation._id, agentId }] }));
}

/** Send a failed (or canceled) reply again; answers once it is queued. */
export function retryMessage(client: Client, conversation: ConversationDocument, input: { messageId: string; agentId?: string }) {
  return asAgentAction(client, () =>
    handleFor(client, conversation).executeUpdate(retryMessageUpdate, {
      args: [{ conversationId: conversation._id, messageId: input.messageId, ...(input.agentId ? { byAgentId: input.agentId } : {}) }],
    }),
  );
}

/** Withdraw a reply not sent yet; answers once it is recorded as canceled (409 if it went out first). */
export function cancelMessage(client: Client, conversation: ConversationDocument, input: { messageId: string; agentId?: string }) {
  return asAgentAction(client, () =>
    handleFor(client, conversation).executeUpdate(cancelMessageUpdate, {
      args: [{ conversationId: conversation._id, messageId: input.messageId, ...(input.agentId ? { byAgentId: input.agentId } : {}) }],
    }),
  );
}
