import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

export type Availability = 'online' | 'away' | 'offline';

export interface WaitingConversation {
  conversationId: string;
  workflowId: string;
  queueId: string;
  arrivedAt: string;
}

export interface AgentStatus {
  agentId: string;
  availability: Availability;
  maxConcurrent: number;
  skills: string[];
}

export interface AcceptInput {
  conversationId: string;
  agentId: string;
}

export interface RouterAgentState extends AgentStatus {
  active: string[];
  lastAssignedAt?: string;
}

export interface RouterState {
  waiting: WaitingConversation[];
  agents: RouterAgentState[];
}

export const routerWorkflowId = (brandId: string) => `router:${brandId}`;

/** A conversation needs an agent (new, or transferred to a queue). */
export const conversationWaitingSignal = defineSignal<[WaitingConversation]>('conversationWaiting');
/** A conversation no longer counts for anyone (closed). */
export const conversationReleasedSignal = defineSignal<[{ conversationId: string }]>('conversationReleased');
/** A conversation now belongs to this agent without routing (transfer to an agent, reopen). */
export const conversationHeldSignal = defineSignal<[{ conversationId: string; agentId: string }]>('conversationHeld');
export const agentStatusSignal = defineSignal<[AgentStatus]>('agentStatus');
/** Manual accept: validated, so two agents accepting at once cannot both win. */
export const acceptUpdate = defineUpdate<{ agentId: string }, [AcceptInput]>('accept');
/**
 * Accept asked by the conversation itself, which records the assignment before answering the agent: the
 * router only decides (no signal back). Idempotent: the same agent claiming again succeeds.
 */
export const claimUpdate = defineUpdate<{ agentId: string }, [AcceptInput]>('claim');
export const routerStateQuery = defineQuery<RouterState>('state');

export const RouterRejection = {
  notWaiting: 'NotWaiting',
  notEligible: 'AgentNotEligible',
} as const;
