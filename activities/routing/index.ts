import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from 'mongodb';
import { Collections } from '../../db/collections.js';
import { AuditLog, type AuditAction } from '../../db/repositories/audit-log.js';
import type { ConversationDocument } from '../../db/repositories/conversations.js';
import type { EventType } from '../../db/repositories/events.js';
import type { ConversationRef } from '../../workflows/conversation/definitions.js';
import { claimUpdate, routerWorkflowId, RouterRejection } from '../../workflows/routing/definitions.js';
import { signalRouter, type RouterNotice, type RouterSignalDependencies } from '../../services/routing/router-notices.js';
import { publishConversationEvent } from './conversation-events.js';


export interface RoutingActivityDependencies extends RouterSignalDependencies {
  db: Db;
}

export type ConversationChange =
  | { kind: 'waiting'; queueId: string }
  | { kind: 'assigned'; agentId: string; by: 'router' | 'accept' }
  | { kind: 'transferred'; fromAgentId?: string; toAgentId?: string; toQueueId?: string; byAgentId?: string; noteMessageId?: string }
  | { kind: 'closed'; reason: string; by?: string }
  | { kind: 'reopened'; agentId?: string };

const changeNames: Record<ConversationChange['kind'], { event: EventType; audit?: AuditAction }> = {
  waiting: { event: 'conversation.waiting' },
  assigned: { event: 'conversation.assigned', audit: 'conversation.assigned' },
  transferred: { event: 'conversation.transferred', audit: 'conversation.transferred' },
  closed: { event: 'conversation.closed', audit: 'conversation.closed' },
  reopened: { event: 'conversation.reopened', audit: 'conversation.reopened' },
};

async function claimAtRouter(deps: RoutingActivityDependencies, input: { brandId: string; conversationId: string; agentId: string }) {
  try {
    return await deps.client.workflow.getHandle(routerWorkflowId(input.brandId)).executeUpdate(claimUpdate, { args: [{ conversationId: input.conversationId, agentId: input.agentId }] });
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw ApplicationFailure.nonRetryable('This conversation is not waiting for an agent', RouterRejection.notWaiting);
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      throw ApplicationFailure.nonRetryable(error.cause.message, error.cause.type ?? RouterRejection.notWaiting);
    }
    throw error;
  }
}

export function createRoutingActivities(deps: RoutingActivityDependencies) {
  const audit = new AuditLog(deps.db);
  const conversations = deps.db.collection<ConversationDocument>(Collections.conversations);

  return {
    notifyRouter: (input: { brandId: string; notice: RouterNotice }) => signalRouter(deps, input.brandId, input.notice),

    /** Asks the router to give a waiting conversation to this agent; its refusal comes back as a non-retryable failure. */
    claimAtRouter: (input: { brandId: string; conversationId: string; agentId: string }) => claimAtRouter(deps, input),

    /** Records an assignment change (document, audit entry, live event); `key` makes retries harmless. */
    async recordConversationChange(input: { conversation: ConversationRef; change: ConversationChange; key: string; at: string }) {
      const { conversation: ref, change } = input;
      const previous = await conversations.findOne({ _id: ref.conversationId }, { projection: { agentId: 1 } });
      const at = new Date(input.at);
      // waitingSince is set only once the router holds the conversation: the queue view shows only what can be accepted.
      if (change.kind === 'waiting') await conversations.updateOne({ _id: ref.conversationId, agentId: { $exists: false } }, { $set: { waitingSince: at } });
      if (change.kind === 'assigned') await conversations.updateOne({ _id: ref.conversationId }, { $set: { agentId: change.agentId }, $unset: { waitingSince: '' } });
      if (change.kind === 'transferred') {
        if (change.toQueueId) {
          await conversations.updateOne({ _id: ref.conversationId }, { $set: { queueId: change.toQueueId } });
          // The router may already have given it to someone in the new queue: never undo that.
          await conversations.updateOne(
            { _id: ref.conversationId, agentId: change.fromAgentId ?? { $exists: false } },
            { $set: { waitingSince: at }, $unset: { agentId: '' } },
          );
        } else {
          await conversations.updateOne({ _id: ref.conversationId }, { $set: { agentId: change.toAgentId! }, $unset: { waitingSince: '' } });
        }
      }
      if (change.kind === 'closed') await conversations.updateOne({ _id: ref.conversationId }, { $unset: { waitingSince: '' } });
      if (change.kind === 'reopened') {
        await conversations.updateOne(
          { _id: ref.conversationId },
          {
            $set: { status: 'open', ...(change.agentId ? { agentId: change.agentId } : { waitingSince: at }) },
            $unset: { closedAt: '', closeReason: '', closedBy: '' },
          },
        );
      }
      const names = changeNames[change.kind];
      if (names.audit) {
        const actorId =
          change.kind === 'assigned' ? (change.by === 'accept' ? change.agentId : undefined)
          : change.kind === 'transferred' ? change.byAgentId
          : change.kind === 'closed' ? change.by
          : change.kind === 'reopened' ? change.agentId
          : undefined;
        await audit.record({
          id: input.key,
          brandId: ref.brandId,
          action: names.audit,
          actor: actorId ? { kind: 'user', id: actorId } : { kind: 'system' },
          target: { kind: 'conversation', id: ref.conversationId },
          details: { ...change },
          at: new Date(input.at),
        });
      }
      await publishConversationEvent(deps.db, {
        conversationId: ref.conversationId,
        type: names.event,
        key: input.key,
        data: { ...change },
        alsoTo: [previous?.agentId],
      });
    },
  };
}

export type RoutingActivities = ReturnType<typeof createRoutingActivities>;
