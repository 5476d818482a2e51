import { z } from 'zod';
import '../openapi/schemas.js';

/** What every event's data carries; more fields may be added (clients ignore what they do not know). */
const about = { conversationId: z.string(), at: z.string().describe('When it happened (ISO 8601)') };
const event = <T extends string, D extends z.ZodRawShape>(type: T, data: D) =>
  z.object({ id: z.string().regex(/^\d+$/).describe('Resume after it with Last-Event-ID'), event: z.literal(type), data: z.object({ ...about, ...data }).passthrough() });
const formEvent = <T extends string>(type: T, data: z.ZodRawShape = {}) => event(type, { formId: z.string(), title: z.string(), ...data });

/**
 * One event of GET /api/v1/events, as its `id:`, `event:` and `data:` (JSON) lines. Ids and states
 * only, never message text or form values. `session.ended` (no id, empty data) ends the stream.
 */
export const streamEventSchema = z
  .discriminatedUnion('event', [
    event('conversation.waiting', { queueId: z.string() }),
    event('conversation.assigned', { agentId: z.string(), by: z.enum(['router', 'accept']) }),
    event('conversation.transferred', {
      fromAgentId: z.string().optional(), toAgentId: z.string().optional(), toQueueId: z.string().optional(), byAgentId: z.string().optional(), noteMessageId: z.string().optional(),
    }),
    event('conversation.closed', { reason: z.string(), by: z.string().optional() }),
    event('conversation.reopened', { agentId: z.string().optional() }),
    event('message.created', { messageId: z.string(), direction: z.enum(['inbound', 'outbound', 'internal']) }),
    event('message.status', { messageId: z.string(), status: z.string(), failure: z.object({ code: z.string(), reason: z.string() }).optional() }),
    formEvent('form.sent'),
    formEvent('form.opened'),
    formEvent('form.submitted', { offRecordExpiresAt: z.string().optional() }),
    formEvent('form.expired'),
    formEvent('form.offRecordExpired'),
    z.object({ event: z.literal('session.ended'), data: z.object({}).strict() }),
    z.object({
      id: z.string().regex(/^\d+$/).describe('Resume after it with Last-Event-ID'), event: z.literal('stream.position'), data: z.object({}).strict(),
    }).describe('First on a stream opened without a resume point: where it starts, so a reconnection before any event misses nothing'),
  ])
  .openapi('StreamEvent');
