import {
  ApplicationFailure, allHandlersFinished, condition, continueAsNew, getExternalWorkflowHandle, setHandler, workflowInfo,
} from '@temporalio/workflow';
import { assignedSignal } from '../conversation/definitions.js';
import {
  acceptUpdate, agentStatusSignal, claimUpdate, conversationHeldSignal, conversationReleasedSignal, conversationWaitingSignal, RouterRejection,
  routerStateQuery, type RouterAgentState, type RouterState, type WaitingConversation,
} from './definitions.js';

const HISTORY_LIMIT = 4_000;

/**
 * One per brand: the single writer of assignments, so a conversation is never
 * given to two agents. Waiting conversations go, in arrival order, to the
 * least-loaded online agent who works their queue (ties: the one who waited
 * longest since an assignment).
 */
export async function routerWorkflow(input: { brandId: string; carried?: RouterState }): Promise<void> {
  const waiting: WaitingConversation[] = input.carried?.waiting ?? [];
  const agents = new Map<string, RouterAgentState>((input.carried?.agents ?? []).map((agent) => [agent.agentId, agent]));
  let dirty = true;

  const release = (conversationId: string) => {
    const index = waiting.findIndex((item) => item.conversationId === conversationId);
    if (index >= 0) waiting.splice(index, 1);
    for (const agent of agents.values()) agent.active = agent.active.filter((id) => id !== conversationId);
  };
  const eligible = (agent: RouterAgentState, queueId: string) =>
    agent.availability === 'online' && agent.skills.includes(queueId) && agent.active.length < agent.maxConcurrent;
  const pick = (queueId: string) =>
    [...agents.values()]
      .filter((agent) => eligible(agent, queueId))
      .sort((a, b) => a.active.length - b.active.length || (a.lastAssignedAt ?? '').localeCompare(b.lastAssignedAt ?? '') || a.agentId.localeCompare(b.agentId))[0];

  /** Tells the conversation; false when it has ended (then it no longer waits). */
  const assign = async (item: WaitingConversation, agent: RouterAgentState, by: 'router' | 'accept') => {
    release(item.conversationId);
    agent.active.push(item.conversationId);
    agent.lastAssignedAt = new Date().toISOString();
    try {
      await getExternalWorkflowHandle(item.workflowId).signal(assignedSignal, { conversationId: item.conversationId, agentId: agent.agentId, by });
      return true;
    } catch {
      release(item.conversationId);
      return false;
    }
  };

  setHandler(conversationWaitingSignal, (item) => {
    release(item.conversationId);
    waiting.push(item);
    dirty = true;
  });
  setHandler(conversationReleasedSignal, ({ conversationId }) => {
    release(conversationId);
    dirty = true;
  });
  setHandler(conversationHeldSignal, ({ conversationId, agentId }) => {
    release(conversationId);
    agents.get(agentId)?.active.push(conversationId);
    dirty = true;
  });
  setHandler(agentStatusSignal, (status) => {
    const known = agents.get(status.agentId);
    agents.set(status.agentId, { ...status, active: known?.active ?? [], lastAssignedAt: known?.lastAssignedAt });
    dirty = true;
  });
  setHandler(routerStateQuery, () => ({ waiting, agents: [...agents.values()] }));
  const refuseAccept = ({ conversationId, agentId }: { conversationId: string; agentId: string }) => {
    const item = waiting.find((candidate) => candidate.conversationId === conversationId);
    if (!item) throw ApplicationFailure.nonRetryable('This conversation is not waiting for an agent', RouterRejection.notWaiting);
    const agent = agents.get(agentId);
    if (!agent || agent.availability === 'offline' || !agent.skills.includes(item.queueId)) {
      throw ApplicationFailure.nonRetryable('Go online with this conversation\'s queue among your skills to accept it', RouterRejection.notEligible);
    }
    if (agent.active.length >= agent.maxConcurrent) {
      throw ApplicationFailure.nonRetryable(`You already have ${agent.maxConcurrent} conversations, your maximum`, RouterRejection.notEligible);
    }
  };
  // Kept for histories recorded before claimUpdate: the API now accepts through the conversation.
  setHandler(
    acceptUpdate,
    async ({ conversationId, agentId }) => {
      const item = waiting.find((candidate) => candidate.conversationId === conversationId)!;
      await assign(item, agents.get(agentId)!, 'accept');
      dirty = true;
      return { agentId };
    },
    { validator: refuseAccept },
  );
  setHandler(
    claimUpdate,
    ({ conversationId, agentId }) => {
      const agent = agents.get(agentId)!;
      if (!agent.active.includes(conversationId)) {
        release(conversationId);
        agent.active.push(conversationId);
        agent.lastAssignedAt = new Date().toISOString();
        dirty = true;
      }
      return { agentId };
    },
    {
      validator: (claim) => {
        if (agents.get(claim.agentId)?.active.includes(claim.conversationId)) return;
        refuseAccept(claim);
      },
    },
  );

  for (;;) {
    await condition(() => dirty || workflowInfo().continueAsNewSuggested);
    dirty = false;
    for (const item of [...waiting]) {
      if (!waiting.includes(item)) continue; // accepted meanwhile
      const agent = pick(item.queueId);
      if (agent) await assign(item, agent, 'router');
    }
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > HISTORY_LIMIT) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof routerWorkflow>({ brandId: input.brandId, carried: { waiting, agents: [...agents.values()] } });
    }
  }
}
