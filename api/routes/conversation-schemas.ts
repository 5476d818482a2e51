import { z } from 'zod';
import '../openapi/schemas.js';

export const conversationSchema = z
  .object({
    id: z.string(), channel: z.enum(['sms', 'messenger']), entryPointId: z.string(), queueId: z.string(), status: z.enum(['open', 'closed']),
    agentId: z.string().optional(), consumer: z.object({ id: z.string(), display: z.string() }), openedAt: z.string(), lastMessageAt: z.string(),
    lastInboundAt: z.string().optional(), messageCount: z.number(),
    waitingSince: z.string().optional().describe('While it waits in its queue for an agent: since when'),
    optedOut: z.boolean().optional().describe('SMS, GET of one conversation only: the consumer texted STOP to this number (replies are refused until START)'), closedAt: z.string().optional(), closeReason: z.string().optional(),
  })
  .openapi('Conversation');

export const messageSchema = z
  .object({
    id: z.string(), direction: z.enum(['inbound', 'outbound', 'internal']), kind: z.string(), text: z.string().optional(),
    attachments: z.array(z.object({ type: z.string(), contentType: z.string().optional(), url: z.string().optional() })),
    status: z.string(), statusHistory: z.array(z.object({ status: z.string(), at: z.string(), errorCode: z.string().optional() })),
    failure: z.object({ code: z.string(), reason: z.string() }).optional(), agentId: z.string().optional(), createdAt: z.string(),
    retry: z.object({ attempts: z.number(), nextAttemptAt: z.string() }).optional().describe('While status is retrying: attempts so far and when the next starts'),
  })
  .openapi('Message');

export const conversationStateSchema = z
  .object({ conversationId: z.string(), status: z.enum(['open', 'closed']), agentId: z.string().optional(), queueId: z.string() })
  .passthrough()
  .openapi('ConversationState');

/** Who an integration's action is recorded as: an active user of its brand (users always act as themselves). */
export const actingAgentIdSchema = z.string().regex(/^[A-Za-z0-9._@-]{1,100}$/).optional().describe('Integrations only: the agent to record; users act as themselves');
/** The 400 reason every route taking actingAgentIdSchema can give, for invalidRequestBecause. */
export const unknownAgentReason = 'an agentId (of an API token) naming no active user of your brand (unknown_agent)';
