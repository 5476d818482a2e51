import type { Principal } from '../../auth/principal.js';
import type { ConversationDocument } from '../../../db/repositories/conversations.js';
import type { UserRepository } from '../../../db/repositories/users.js';
import { NotFoundError, ForbiddenError, ValidationError } from '../../errors.js';

const seesEverything = (principal: Principal) => principal.kind === 'integration' || principal.permissions.has('conversation.viewAll');

/** Its agent, anyone working its queue while it waits, managers and integrations. */
export function canSee(principal: Principal, conversation: ConversationDocument): boolean {
  if (conversation.brandId !== principal.brandId) return false;
  if (seesEverything(principal)) return true;
  if (conversation.agentId) return conversation.agentId === principal.userId;
  return principal.skills === 'all' || principal.skills.includes(conversation.queueId);
}

/** Acting on a conversation (reply, transfer, close) is for its agent, managers and integrations. */
export function assertCanAct(principal: Principal, conversation: ConversationDocument): void {
  if (seesEverything(principal) || conversation.agentId === principal.userId) return;
  throw new ForbiddenError({ code: 'not_your_conversation', message: 'Only the agent this conversation is assigned to can do this: accept it first' });
}

export function notFound(id: string): NotFoundError {
  return new NotFoundError({ code: 'conversation_not_found', message: `No conversation "${id}"` });
}

/**
 * Who an action is recorded as: the signed-in user, or the agent an integration names, which must be
 * an active user of the same brand (reports would otherwise count a phantom agent).
 */
export async function actingAgent(users: Pick<UserRepository, 'get'>, principal: Principal, claimed?: string): Promise<string | undefined> {
  if (principal.kind === 'user') return principal.userId;
  if (claimed === undefined) return undefined;
  const agent = await users.get(principal.brandId, claimed);
  if (!agent || agent.status !== 'active') {
    throw new ValidationError({
      code: 'unknown_agent', message: `No active agent "${claimed}" in this brand: agentId must name one of the brand's active users`,
      details: [{ in: 'body', path: 'agentId', message: 'not an active agent of this brand' }],
    });
  }
  return agent._id;
}
