import { z } from 'zod';
import type { ConversationRepository } from '../../db/repositories/conversations.js';
import type { AuthenticateDependencies } from '../auth/authenticate.js';
import { isBuiltInProfile } from '../auth/permissions.js';
import { builtInProfiles, type Permission } from '../auth/principal.js';
import { authErrors, signedIn } from '../auth/route-auth.js';
import type { ApiRoutes } from '../openapi/routes.js';

const agentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    availability: z.enum(['online', 'away', 'offline']),
    queues: z.array(z.string()).describe('The queues (skills) the agent works'),
    maxConcurrent: z.number().int().describe('How many conversations the router gives the agent at once'),
    activeConversations: z.number().int().describe('Open conversations assigned to the agent now'),
  })
  .openapi('Agent');

const takesConversations: Permission = 'conversation.accept';

/**
 * GET /api/v1/agents: who a conversation can be handed to. For anyone who may transfer (agents cannot list
 * users): the brand's active users whose profile lets them take conversations, with no email and nothing
 * about their account's security.
 */
export function registerAgentRoutes(routes: ApiRoutes, deps: AuthenticateDependencies & { conversations: ConversationRepository }) {
  routes.add(
    {
      tags: ['workspace'], ...signedIn(routes, deps, 'conversation.transfer'),
      method: 'get', path: '/api/v1/agents', operationId: 'listAgents',
      summary: 'Transfer targets: the brand\'s active agents, by name, with availability, queues and how many open conversations each holds',
      responses: { 200: { description: 'Agents', schema: z.object({ items: z.array(agentSchema) }) }, ...authErrors },
    },
    async ({ req, res }) => {
      const { brandId } = req.principal!;
      const [users, profiles, active] = await Promise.all([
        deps.users.listActiveProfiles(brandId),
        deps.profiles.list(brandId),
        deps.conversations.openCountsByAgent(brandId),
      ]);
      const customTaking = new Set(profiles.filter((profile) => profile.permissions.includes(takesConversations)).map((profile) => `custom:${profile.name}`));
      const takes = (ref: string) => (isBuiltInProfile(ref) ? builtInProfiles[ref].includes(takesConversations) : customTaking.has(ref));
      const items = users
        .filter((user) => takes(user.profile))
        .sort((a, b) => a.name.localeCompare(b.name) || (a._id < b._id ? -1 : 1))
        .map((user) => ({
          id: user._id, name: user.name, availability: user.availability ?? 'offline', queues: user.skills ?? [], maxConcurrent: user.maxConcurrent,
          activeConversations: active.get(user._id) ?? 0,
        }));
      res.json({ items });
    },
  );
}
