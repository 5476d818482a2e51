import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { BrandRepository } from '../../db/repositories/brands.js';
import type { ConversationRepository } from '../../db/repositories/conversations.js';
import type { MessageRepository } from '../../db/repositories/messages.js';
import type { FieldEncryption } from '../../db/field-encryption.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { requireBrand } from '../middleware/bearer-auth.js';
import { errorBodySchema } from '../openapi/schemas.js';
import type { ApiRoutes } from '../openapi/routes.js';
import { closeConversation, replyToConversation } from '../use-cases/conversations/agent-actions.js';
import { toConversationView, toMessageView } from '../use-cases/conversations/views.js';

export interface ConversationRouteDependencies {
  client: Client;
  brands: BrandRepository;
  conversations: ConversationRepository;
  messages: MessageRepository;
  fields: FieldEncryption;
}

const conversationSchema = z
  .object({
    id: z.string(), channel: z.enum(['sms', 'messenger']), entryPointId: z.string(), queueId: z.string(), status: z.enum(['open', 'closed']),
    consumer: z.object({ id: z.string(), display: z.string() }), openedAt: z.string(), lastMessageAt: z.string(), lastInboundAt: z.string().optional(),
    messageCount: z.number(), closedAt: z.string().optional(), closeReason: z.string().optional(),
  })
  .openapi('Conversation');
const messageSchema = z
  .object({
    id: z.string(), direction: z.enum(['inbound', 'outbound', 'internal']), kind: z.string(), text: z.string().optional(),
    attachments: z.array(z.object({ type: z.string(), contentType: z.string().optional(), url: z.string().optional() })),
    status: z.string(), statusHistory: z.array(z.object({ status: z.string(), at: z.string(), errorCode: z.string().optional() })),
    failure: z.object({ code: z.string(), reason: z.string() }).optional(), agentId: z.string().optional(), createdAt: z.string(),
  })
  .openapi('Message');
const idParams = z.object({ conversationId: z.string().min(1).max(100) });
const agentId = z.string().regex(/^[A-Za-z0-9._@-]{1,100}$/).optional();
const errors = {
  401: { description: 'Brand API token missing or wrong', schema: errorBodySchema },
  404: { description: 'No such conversation in this brand', schema: errorBodySchema },
};

/** The minimal agent API: list, read, reply, close — scoped to the brand of the bearer token. */
export function registerConversationRoutes(routes: ApiRoutes, deps: ConversationRouteDependencies) {
  const base = { tags: ['conversations'], security: ['brandToken'], before: [requireBrand(deps.brands)] };
  const load = async (brandId: string, id: string) => {
    const conversation = await deps.conversations.getForBrand(brandId, id);
    if (!conversation) throw new NotFoundError({ code: 'conversation_not_found', message: `No conversation "${id}"` });
    return conversation;
  };

  routes.add(
    { ...base, method: 'get', path: '/api/v1/conversations', operationId: 'listConversations', summary: 'Conversations, most recent activity first',
      query: z.object({ status: z.enum(['open', 'closed']).optional(), limit: z.coerce.number().int().min(1).max(100).default(25), cursor: z.string().max(500).optional() }),
      responses: { 200: { description: 'A page', schema: z.object({ items: z.array(conversationSchema), nextCursor: z.string().optional() }) }, ...errors } },
    async ({ query, req, res }) => {
      let page;
      try {
        page = await deps.conversations.listForBrand(req.brand!._id, query);
      } catch (error) {
        if (error instanceof RangeError) throw new ValidationError({ code: 'invalid_cursor', message: 'cursor is not one this API returned' });
        throw error;
      }
      res.json({ items: page.items.map((doc) => toConversationView(deps.fields, doc)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
    },
  );
  routes.add(
    { ...base, method: 'get', path: '/api/v1/conversations/:conversationId', operationId: 'getConversation', summary: 'One conversation', params: idParams,
      responses: { 200: { description: 'The conversation', schema: conversationSchema }, ...errors } },
    async ({ params, req, res }) => {
      res.json(toConversationView(deps.fields, await load(req.brand!._id, params.conversationId)));
    },
  );
  routes.add(
    { ...base, method: 'get', path: '/api/v1/conversations/:conversationId/messages', operationId: 'listMessages', summary: 'The transcript, oldest first, paginated', params: idParams,
      query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), after: z.string().max(200).optional() }),
      responses: { 200: { description: 'A page of messages', schema: z.object({ items: z.array(messageSchema), nextCursor: z.string().optional() }) }, ...errors } },
    async ({ params, query, req, res }) => {
      const conversation = await load(req.brand!._id, params.conversationId);
      const after = query.after ? await deps.messages.get(query.after) : undefined;
      if (query.after && (!after || after.conversationId !== conversation._id)) throw new ValidationError({ code: 'invalid_cursor', message: 'after must be a message id of this conversation' });
      const page = await deps.messages.page(conversation._id, { limit: query.limit, ...(after ? { after: { createdAt: after.createdAt, id: after._id } } : {}) });
      res.json({ items: page.items.map((doc) => toMessageView(deps.fields, doc)), ...(page.hasMore ? { nextCursor: page.items.at(-1)!._id } : {}) });
    },
  );
  routes.add(
    { ...base, method: 'post', path: '/api/v1/conversations/:conversationId/replies', operationId: 'replyToConversation',
      summary: 'Send a reply; 202 once recorded, delivery status follows on the message', params: idParams,
      body: z.object({ text: z.string().min(1).max(2000), agentId, messageId: z.string().regex(/^msg_[A-Za-z0-9-]{8,64}$/).optional() }).strict().openapi('Reply'),
      responses: { 202: { description: 'Recorded and queued for delivery', schema: z.object({ messageId: z.string(), status: z.literal('pending') }) },
        409: { description: 'Closed, opted out or outside Messenger\'s window: the reason says which', schema: errorBodySchema }, ...errors } },
    async ({ params, body, req, res }) => {
      const conversation = await load(req.brand!._id, params.conversationId);
      res.status(202).json(await replyToConversation(deps.client, conversation, body));
    },
  );
  routes.add(
    { ...base, method: 'post', path: '/api/v1/conversations/:conversationId/close', operationId: 'closeConversation', summary: 'Close a conversation', params: idParams,
      body: z.object({ reason: z.string().max(200).optional(), agentId }).strict().openapi('CloseConversation'),
      responses: { 200: { description: 'Closed', schema: z.object({ conversationId: z.string(), status: z.string() }).passthrough() },
        409: { description: 'Already closed', schema: errorBodySchema }, ...errors } },
    async ({ params, body, req, res }) => {
      const conversation = await load(req.brand!._id, params.conversationId);
      res.json(await closeConversation(deps.client, conversation, body));
    },
  );
}
