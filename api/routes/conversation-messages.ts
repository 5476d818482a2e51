import { z } from 'zod';
import type { ConversationDocument } from '../../db/repositories/conversations.js';
import type { MessageRepository } from '../../db/repositories/messages.js';
import type { UserRepository } from '../../db/repositories/users.js';
import type { Client } from '@temporalio/client';
import type { Principal } from '../auth/principal.js';
import type { signedIn } from '../auth/route-auth.js';
import { authErrors } from '../auth/route-auth.js';
import { NotFoundError } from '../errors.js';
import { invalidRequestBecause } from '../openapi/error-responses.js';
import { errorBodySchema } from '../openapi/schemas.js';
import type { ApiRoutes } from '../openapi/routes.js';
import { actingAgent, assertCanAct } from '../use-cases/conversations/access.js';
import { cancelMessage, retryMessage } from '../use-cases/conversations/agent-actions.js';
import { actingAgentIdSchema, unknownAgentReason } from './conversation-schemas.js';

interface MessageRouteDependencies {
  client: Client;
  messages: MessageRepository;
  auth: (permission: Parameters<typeof signedIn>[2]) => ReturnType<typeof signedIn> & { tags: string[] };
  load: (principal: Principal, id: string) => Promise<ConversationDocument>;
  users: Pick<UserRepository, 'get'>;
}

const params = z.object({ conversationId: z.string().min(1).max(100), messageId: z.string().min(1).max(200) });
const body = z.object({ agentId: actingAgentIdSchema }).strict();
const result = z.object({ messageId: z.string(), status: z.enum(['pending', 'retrying', 'queued', 'sent', 'delivered', 'read', 'undelivered', 'failed', 'canceled']) });
const responses = {
  ...authErrors,
  404: { description: 'No such conversation or reply visible to you', schema: errorBodySchema },
  409: { description: 'Refused: the reason says why (closed conversation, already sent, not failed)', schema: errorBodySchema },
  ...invalidRequestBecause(unknownAgentReason),
};

/** Agents act on one reply: send it again after a failure, or withdraw it before it goes out. */
export function registerMessageRoutes(routes: ApiRoutes, deps: MessageRouteDependencies) {
  const loadReply = async (principal: Principal, conversationId: string, messageId: string) => {
    const conversation = await deps.load(principal, conversationId);
    assertCanAct(principal, conversation);
    const message = await deps.messages.get({ brandId: conversation.brandId, conversationId: conversation._id }, messageId);
    if (!message || message.direction !== 'outbound' || message.kind === 'page_echo') {
      throw new NotFoundError({ code: 'message_not_found', message: `No reply "${messageId}" in this conversation` });
    }
    return conversation;
  };

  const actions = [
    { name: 'retry', operationId: 'retryMessage', act: retryMessage, schema: 'RetryMessage', ok: 'Queued for delivery again',
      summary: 'Send a failed or canceled reply again (idempotent: a reply already queued again answers as it is)' },
    { name: 'cancel', operationId: 'cancelMessage', act: cancelMessage, schema: 'CancelMessage', ok: 'Canceled: it will not be sent',
      summary: 'Withdraw a reply that has not been sent yet (pending or retrying); idempotent' },
  ] as const;
  for (const action of actions) {
    routes.add(
      { ...deps.auth('conversation.reply'), method: 'post', path: `/api/v1/conversations/:conversationId/messages/:messageId/${action.name}`,
        operationId: action.operationId, summary: action.summary, params, body: body.openapi(action.schema),
        responses: { 200: { description: action.ok, schema: result }, ...responses } },
      async ({ params: path, body: input, req, res }) => {
        const conversation = await loadReply(req.principal!, path.conversationId, path.messageId);
        res.json(await action.act(deps.client, conversation, { messageId: path.messageId, agentId: await actingAgent(deps.users, req.principal!, input.agentId) }));
      },
    );
  }
}
