import type { Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import type { UserDocument } from '../../db/repositories/users.js';
import type { routerWorkflow } from '../../workflows/routing/router.js';
import {
  agentStatusSignal, conversationHeldSignal, conversationReleasedSignal, conversationWaitingSignal, routerWorkflowId,
  type AgentStatus, type WaitingConversation,
} from '../../workflows/routing/definitions.js';

/** What signalling a brand's router needs: called by the API (availability) and by activities alike. */
export interface RouterSignalDependencies {
  client: Client;
  taskQueue: string;
}

export type RouterNotice =
  | { kind: 'waiting'; item: WaitingConversation }
  | { kind: 'released'; conversationId: string }
  | { kind: 'held'; conversationId: string; agentId: string }
  | { kind: 'agent'; status: AgentStatus };

/** What the router knows of an agent, from their user document (a disabled user is offline). */
export function agentStatusOf(user: UserDocument, availability: AgentStatus['availability'] = user.availability): AgentStatus {
  return { agentId: user._id, availability: user.status === 'active' ? availability : 'offline', maxConcurrent: user.maxConcurrent, skills: user.skills };
}

/** Sends a notice to the brand's router, starting it if it is not running. */
export async function signalRouter(deps: RouterSignalDependencies, brandId: string, notice: RouterNotice): Promise<void> {
  // Every router signal takes one input object.
  const send = async <Input>(signal: SignalDefinition<[Input]>, input: Input) => {
    await deps.client.workflow.signalWithStart<typeof routerWorkflow, [Input]>('routerWorkflow', {
      workflowId: routerWorkflowId(brandId), taskQueue: deps.taskQueue, args: [{ brandId }], signal, signalArgs: [input],
    });
  };
  switch (notice.kind) {
    case 'waiting':
      return send(conversationWaitingSignal, notice.item);
    case 'released':
      return send(conversationReleasedSignal, { conversationId: notice.conversationId });
    case 'held':
      return send(conversationHeldSignal, { conversationId: notice.conversationId, agentId: notice.agentId });
    case 'agent':
      return send(agentStatusSignal, notice.status);
  }
}
