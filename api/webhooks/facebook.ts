import { createHash } from 'node:crypto';
import { sameSecret } from '../../crypto/secrets.js';
import type { Request } from 'express';
import { z } from 'zod';
import { verifyFacebookSignature } from '../../activities/facebook/verify-signature.js';
import { maskSensitive } from '../../activities/messages/mask-sensitive.js';
import { entryPointId } from '../../db/repositories/channels.js';
import type { ResolvedEntryPoint } from '../../db/repositories/channel-directory.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { ApiRoutes } from '../openapi/routes.js';
import { acceptInboundMessage, acceptStatusEvent, conversationWorkflowIdFor } from '../use-cases/inbound/accept-inbound.js';
import type { Receipt } from '../use-cases/inbound/durable-intake.js';
import type { WebhookDependencies } from './dependencies.js';
import { facebookWebhookSchema, type MessagingEvent } from './facebook-events.js';
import { listFacebookVerifyTokens } from './facebook-verify-tokens.js';

/** Accepts one Messenger event durably (journal, then Temporal); returns once it is durable. */
async function acceptEvent(deps: WebhookDependencies, resolved: ResolvedEntryPoint, event: MessagingEvent): Promise<Receipt | undefined> {
  const at = new Date(event.timestamp).toISOString();
  const message = event.message;
  if (message?.is_echo) {
    // Our own sends carry our message id in metadata; only replies typed in the Page inbox are new.
    if (message.metadata?.startsWith('msg_')) return undefined;
    return acceptInboundMessage(deps, {
      resolved,
      consumerAddress: event.recipient.id,
      message: { providerMessageId: message.mid, kind: 'page_echo', text: message.text && maskSensitive(message.text).text, attachments: [], receivedAt: at },
    });
  } else if (message) {
    return acceptInboundMessage(deps, {
      resolved,
      consumerAddress: event.sender.id,
      message: {
        providerMessageId: message.mid,
        kind: 'text',
        ...(message.text !== undefined ? { text: maskSensitive(message.text).text } : {}),
        attachments: (message.attachments ?? []).map((item) => ({ type: item.type, ...(item.payload?.url ? { url: item.payload.url } : {}) })),
        receivedAt: at,
      },
    });
  } else if (event.postback) {
    return acceptInboundMessage(deps, {
      resolved,
      consumerAddress: event.sender.id,
      message: {
        providerMessageId: event.postback.mid ?? `postback-${event.sender.id}-${event.timestamp}`,
        kind: 'postback',
        text: maskSensitive(event.postback.title ?? event.postback.payload ?? '').text,
        attachments: [],
        receivedAt: at,
      },
    });
  } else if (event.delivery?.mids?.length) {
    const eventKey = createHash('sha256').update(event.delivery.mids.join(',')).digest('base64url').slice(0, 32);
    return acceptStatusEvent(deps, { eventKey, event: { provider: 'facebook', status: 'delivered', at, providerMessageIds: event.delivery.mids } });
  } else if (event.read) {
    const { workflowId } = conversationWorkflowIdFor(deps, resolved, event.sender.id);
    const watermark = new Date(event.read.watermark).toISOString();
    return acceptStatusEvent(deps, {
      eventKey: createHash('sha256').update(`${workflowId}|${event.read.watermark}`).digest('base64url').slice(0, 32),
      event: { provider: 'facebook', status: 'read', at, readUpTo: { conversationWorkflowId: workflowId, watermark } },
    });
  }
  return undefined;
}

/**
 * Accepts a batch's events in batch order per consumer (so the journal keeps their order), the
 * consumers of a batch side by side. The consumer of an echo is its recipient.
 */
async function acceptBatch(deps: WebhookDependencies, known: { resolved: ResolvedEntryPoint; events: MessagingEvent[] }[]): Promise<Receipt[]> {
  const byConsumer = new Map<string, { resolved: ResolvedEntryPoint; event: MessagingEvent }[]>();
  for (const { resolved, events } of known) {
    for (const event of events) {
      const consumer = `${resolved.entryPoint._id}|${event.message?.is_echo ? event.recipient.id : event.sender.id}`;
      const items = byConsumer.get(consumer) ?? [];
      items.push({ resolved, event });
      byConsumer.set(consumer, items);
    }
  }
  const receipts = await Promise.all(
    [...byConsumer.values()].map(async (items) => {
      const accepted: Receipt[] = [];
      for (const { resolved, event } of items) {
        const receipt = await acceptEvent(deps, resolved, event);
        if (receipt) accepted.push(receipt);
      }
      return accepted;
    }),
  );
  return receipts.flat();
}

/** Facebook Messenger webhooks: subscription check, then verify, accept durably (journal, then Temporal), answer. */
export function registerFacebookWebhooks(routes: ApiRoutes, deps: WebhookDependencies) {
  routes.add(
    {
      method: 'get', path: '/webhooks/facebook', operationId: 'facebookSubscriptionCheck', tags: ['webhooks'],
      summary: 'Webhook subscription check: echoes hub.challenge when hub.verify_token is a channel\'s',
      query: z.object({ 'hub.mode': z.literal('subscribe'), 'hub.verify_token': z.string().min(1), 'hub.challenge': z.string().min(1).max(200) }),
      responses: { 200: { description: 'The challenge', contentType: 'text/plain', schema: z.string() }, 403: { description: 'Unknown verify token' } },
    },
    async ({ query, res }) => {
      const tokens = await listFacebookVerifyTokens(deps.directory);
      if (!tokens.some((token) => sameSecret(token, query['hub.verify_token']))) {
        throw new ForbiddenError({ code: 'invalid_verify_token', message: 'hub.verify_token does not match any Facebook channel' });
      }
      res.status(200).type('text/plain').send(query['hub.challenge']);
    },
  );

  routes.add(
    {
      method: 'post', path: '/webhooks/facebook', operationId: 'facebookWebhookEvents', tags: ['webhooks'],
      summary: 'Messenger events, batched per page (X-Hub-Signature-256 required)',
      body: facebookWebhookSchema,
      responses: {
        200: { description: 'Every event accepted durably', contentType: 'text/plain', schema: z.string() },
        403: { description: 'Signature missing or wrong' },
        404: { description: 'No channel has any page in this batch' },
        503: { description: 'Neither the database (inbound journal) nor Temporal is available: Facebook should retry' },
      },
    },
    async ({ body, req, res }) => {
      if (body.object !== 'page') throw new NotFoundError({ code: 'unsupported_object', message: 'Only "page" (Messenger) webhooks are handled' });
      const rawBody = (req as Request & { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0);
      const known: { resolved: ResolvedEntryPoint; events: MessagingEvent[] }[] = [];
      for (const entry of body.entry) {
        const resolved = await deps.directory.resolveEntryPoint(entryPointId('facebook', entry.id));
        if (!resolved || resolved.secrets.kind !== 'facebook') continue;
        const signatureHeader = req.header('x-hub-signature-256');
        if (!verifyFacebookSignature({ appSecret: resolved.secrets.appSecret, rawBody, signatureHeader })) {
          throw new ForbiddenError({ code: 'invalid_signature', message: 'X-Hub-Signature-256 does not match this request' });
        }
        if (resolved.active) known.push({ resolved, events: entry.messaging });
      }
      if (known.length === 0 && body.entry.length > 0) throw new NotFoundError({ code: 'unknown_entry_point', message: 'No active channel has a page in this batch' });
      await deps.intake.settle(await acceptBatch(deps, known));
      res.status(200).type('text/plain').send('EVENT_RECEIVED');
    },
  );
}
