import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { ConversationRepository } from '../../db/repositories/conversations.js';
import type { MessageRepository } from '../../db/repositories/messages.js';
import type { OptOutRepository } from '../../db/repositories/opt-outs.js';
import type { FieldEncryption } from '../../db/field-encryption.js';
import type { AuthenticateDependencies } from '../auth/authenticate.js';
import { authErrors, signedIn } from '../auth/route-auth.js';
import type { Principal } from '../auth/principal.js';
import { ForbiddenError, ValidationError } from '../errors.js';
import { errorBodySchema } from '../openapi/schemas.js';
import type { ApiRoutes } from '../openapi/routes.js';
import { invalidRequestBecause } from '../openapi/error-responses.js';
import { actingAgent, assertCanAct, canSee, notFound } from '../use-cases/conversations/access.js';
import {
  acceptConversation, closeConversation, reopenConversation, replyToConversation, transferConversation,
} from '../use-cases/conversations/agent-actions.js';
import { registerMessageRoutes } from './conversation-messages.js';
import { assertSameReply } from '../use-cases/conversations/reply-idempotency.js';
import { toConversationView, toMessageView } from '../use-cases/conversations/views.js';
import { actingAgentIdSchema as agentId, conversationSchema, conversationStateSchema, messageSchema, unknownAgentReason } from './conversation-schemas.js';

export interface ConversationRouteDependencies extends AuthenticateDependencies {
  client: Client;
  conversations: ConversationRepository;
  messages: MessageRepository;
  fields: FieldEncryption;
  optOuts: Pick<OptOutRepository, 'isOptedOut'>;
  /** After an agent closes a conversation (secure forms erase their off-the-record answers). */
  onClosed?: (conversationId: string) => Promise<void>;
}

const idParams = z.object({ conversationId: z.string().min(1).max(100) });
const errors = { ...authErrors, 404: { description: 'No such conversation visible to you', schema: errorBodySchema } };
const unknownAgent = invalidRequestBecause(unknownAgentReason);
const conflict = { 409: { description: 'Refused by the conversation: the reason says why', schema: errorBodySchema } };
const sensitive = { 422: { description: 'sensitive_data_in_text: the text holds a card number or SSN-like value (nothing was sent or stored)', schema: errorBodySchema } };

/** Agents' and managers' conversation API: what they may see and do, decided per principal. */
export function registerConversationRoutes(routes: ApiRoutes, deps: ConversationRouteDependencies) {
  const auth = (permission: Parameters<typeof signedIn>[2]) => ({ tags: ['conversations'], ...signedIn(routes, deps, permission) });
  const load = async (principal: Principal, id: string) => {
    const conversation = await deps.conversations.getForBrand(principal.brandId, id);
    if (!conversation || !canSee(principal, conversation)) throw notFound(id);
    return conversation;
  };

  routes.add(
    { ...auth('conversation.view'), method: 'get', path: '/api/v1/conversations', operationId: 'listConversations',
      summary: 'Conversations, most recent activity first: mine (assigned to me), queue (waiting in my queues) or all (managers)',
      query: z.object({
        view: z.enum(['mine', 'queue', 'all']).optional(), status: z.enum(['open', 'closed']).optional(),
        limit: z.coerce.number().int().min(1).max(100).default(25), cursor: z.string().regex(/^[A-Za-z0-9_-]+$/).max(500).optional().describe('nextCursor of the previous page'),
      }),
      responses: { 200: { description: 'A page', schema: z.object({ items: z.array(conversationSchema), nextCursor: z.string().optional() }) }, ...errors,
        ...invalidRequestBecause('a cursor this API did not return (invalid_cursor)') } },
    async ({ query, req, res }) => {
      const principal = req.principal!;
      const everything = principal.kind === 'integration' || principal.permissions.has('conversation.viewAll');
      const view = query.view ?? (everything ? 'all' : 'mine');
      if (view === 'all' && !everything) throw new ForbiddenError({ code: 'permission_denied', message: 'Listing all conversations needs "conversation.viewAll"' });
      const scope =
        view === 'mine' ? { agentId: principal.userId ?? '-' }
        : view === 'queue' ? { status: 'open' as const, waitingIn: principal.skills === 'all' ? ('any' as const) : [...principal.skills] }
        : {};
      let page;
      try {
        page = await deps.conversations.listForBrand(principal.brandId, { ...query, ...scope });
      } catch (error) {
        if (error instanceof RangeError) throw new ValidationError({ code: 'invalid_cursor', message: 'cursor is not one this API returned' });
        throw error;
      }
      const items = page.items.filter((doc) => canSee(principal, doc) && (view !== 'queue' || !doc.agentId));
      res.json({ items: items.map((doc) => toConversationView(deps.fields, doc)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
    },
  );
  routes.add(
    { ...auth('conversation.view'), method: 'get', path: '/api/v1/conversations/:conversationId', operationId: 'getConversation', summary: 'One conversation', params: idParams,
      responses: { 200: { description: 'The conversation', schema: conversationSchema }, ...errors } },
    async ({ params, req, res }) => {
      const conversation = await load(req.principal!, params.conversationId);
      const optedOut = conversation.channel === 'sms' && (await deps.optOuts.isOptedOut(conversation.entryPointId, conversation.consumer.pseudonym));
      res.json({ ...toConversationView(deps.fields, conversation), ...(conversation.channel === 'sms' ? { optedOut } : {}) });
    },
  );
  routes.add(
    { ...auth('conversation.view'), method: 'get', path: '/api/v1/conversations/:conversationId/messages', operationId: 'listMessages',
      summary: 'The transcript, paginated: oldest first, or newest first (order=newest) to show the latest messages and page back in time', params: idParams,
      query: z.object({
        limit: z.coerce.number().int().min(1).max(200).default(50),
        order: z.enum(['oldest', 'newest']).default('oldest')
          .describe('oldest: from the first message on; newest: from the latest message back (each page\'s nextCursor continues towards older messages)'),
        after: z.string().max(200).optional()
          .describe('nextCursor of the previous page (a message id): the page starts just beyond it in the chosen order, so messages recorded meanwhile never shift it'),
      }),
      responses: { 200: { description: 'A page of messages in the requested order', schema: z.object({ items: z.array(messageSchema), nextCursor: z.string().optional() }) }, ...errors,
        ...invalidRequestBecause('after naming no message of this conversation (invalid_cursor)') } },
    async ({ params, query, req, res }) => {
      const conversation = await load(req.principal!, params.conversationId);
      const owner = { brandId: conversation.brandId, conversationId: conversation._id };
      const after = query.after ? await deps.messages.get(owner, query.after) : undefined;
      if (query.after && !after) throw new ValidationError({ code: 'invalid_cursor', message: 'after must be a message id of this conversation' });
      const page = await deps.messages.page(owner, { limit: query.limit, order: query.order, ...(after ? { after: { createdAt: after.createdAt, id: after._id } } : {}) });
      res.json({ items: page.items.map((doc) => toMessageView(deps.fields, doc)), ...(page.hasMore ? { nextCursor: page.items.at(-1)!._id } : {}) });
    },
  );
  routes.add(
    { ...auth('conversation.reply'), method: 'post', path: '/api/v1/conversations/:conversationId/replies', operationId: 'replyToConversation',
      summary: 'Send a reply; 202 once recorded, delivery status follows on the message', params: idParams,
      body: z.object({ text: z.string().min(1, { abort: true }).max(2000).regex(/\S/, 'must not be blank'), agentId, messageId: z.string().regex(/^msg_[A-Za-z0-9-]{8,64}$/).optional() }).strict().openapi('Reply'),
      responses: { 202: { description: 'Recorded and queued for delivery', schema: z.object({ messageId: z.string(), status: z.literal('pending') }) }, ...conflict, ...sensitive, ...errors,
        ...invalidRequestBecause(`text longer than the conversation's channel takes (SMS 1,600 characters), or a messageId already sent in this conversation (invalid_reply); ${unknownAgentReason}`) } },
    async ({ params, body, req, res }) => {
      const conversation = await load(req.principal!, params.conversationId);
      assertCanAct(req.principal!, conversation);
      const accepted = await replyToConversation(deps.client, conversation, { ...body, agentId: await actingAgent(deps.users, req.principal!, body.agentId) });
      if (body.messageId) await assertSameReply(deps, conversation, { messageId: body.messageId, text: body.text });
      res.status(202).json(accepted);
    },
  );
  routes.add(
    { ...auth('conversation.close'), method: 'post', path: '/api/v1/conversations/:conversationId/close', operationId: 'closeConversation', summary: 'Close a conversation', params: idParams,
      body: z.object({ reason: z.string().max(200).optional(), agentId }).strict().openapi('CloseConversation'),
      responses: { 200: { description: 'Closed', schema: conversationStateSchema }, ...conflict, ...sensitive, ...errors, ...unknownAgent } },
    async ({ params, body, req, res }) => {
      const conversation = await load(req.principal!, params.conversationId);
      assertCanAct(req.principal!, conversation);
      const closed = await closeConversation(deps.client, conversation, { reason: body.reason, agentId: await actingAgent(deps.users, req.principal!, body.agentId) });
      await deps.onClosed?.(conversation._id);
      res.json(closed);
    },
  );
  registerMessageRoutes(routes, { ...deps, auth, load });
  routes.add(
    { ...auth('conversation.accept'), method: 'post', path: '/api/v1/conversations/:conversationId/accept', operationId: 'acceptConversation',
      summary: 'Take a conversation waiting in one of my queues (the router refuses if someone was faster)', params: idParams,
      responses: { 200: { description: 'Assigned to me', schema: z.object({ agentId: z.string() }) }, ...conflict, ...errors } },
    async ({ params, req, res }) => {
      const principal = req.principal!;
      if (principal.kind !== 'user') throw new ForbiddenError({ code: 'permission_denied', message: 'Only a signed-in agent can accept a conversation' });
      const conversation = await load(principal, params.conversationId);
      res.json(await acceptConversation(deps.client, conversation, principal.userId!));
    },
  );
  routes.add(
    { ...auth('conversation.transfer'), method: 'post', path: '/api/v1/conversations/:conversationId/transfer', operationId: 'transferConversation',
      summary: 'Hand the conversation to another agent or back to a queue, with an internal note', params: idParams,
      body: z.object({ toAgentId: z.string().min(1).max(100).optional(), toQueueId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(), note: z.string().max(1000).optional(), agentId })
        .strict().refine((input) => !input.toAgentId !== !input.toQueueId, 'give exactly one of toAgentId and toQueueId')
        .openapi('Transfer', { oneOf: [{ required: ['toAgentId'] }, { required: ['toQueueId'] }] }),
      responses: { 200: { description: 'Transferred', schema: conversationStateSchema }, ...conflict, ...sensitive, ...errors,
        ...invalidRequestBecause(`toAgentId naming no active agent of your brand (invalid_transfer); ${unknownAgentReason}`) } },
    async ({ params, body, req, res }) => {
      const principal = req.principal!;
      const conversation = await load(principal, params.conversationId);
      assertCanAct(principal, conversation);
      if (body.toAgentId) {
        const target = await deps.users.get(principal.brandId, body.toAgentId);
        if (!target || target.status !== 'active') throw new ValidationError({ code: 'invalid_transfer', message: 'No active agent with this id in your brand' });
      }
      res.json(await transferConversation(deps.client, conversation, { toAgentId: body.toAgentId, toQueueId: body.toQueueId, note: body.note, byAgentId: await actingAgent(deps.users, principal, body.agentId) }));
    },
  );
  routes.add(
    { ...auth('conversation.reopen'), method: 'post', path: '/api/v1/conversations/:conversationId/reopen', operationId: 'reopenConversation',
      summary: 'Reopen a closed conversation within its reopen window (it comes back to you)', params: idParams,
      body: z.object({ agentId }).strict().openapi('Reopen'),
      responses: { 200: { description: 'Reopened', schema: conversationStateSchema }, ...conflict, ...errors, ...unknownAgent } },
    async ({ params, body, req, res }) => {
      const principal = req.principal!;
      const conversation = await load(principal, params.conversationId);
      assertCanAct(principal, conversation);
      res.json(await reopenConversation(deps.client, conversation, { agentId: await actingAgent(deps.users, principal, body.agentId) }));
    },
  );
}
