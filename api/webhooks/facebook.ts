import { createHash } from 'node:crypto';
import { sameSecret } from '../../crypto/secrets.js';
import type { Request } from 'express';
import { z } from 'zod';
import { verifyFacebookSignature } from '../../services/channels/facebook/verify-signature.js';
import { maskSensitive } from '../../services/messages/mask-sensitive.js';
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
  // Receipts touch only messages of this page's channel (and brand): message ids and mids are global.
  const scope = { brandId: resolved.brand._id, channelId: resolved.channel._id };
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
    const eventKey = createHash('sha256').update(`${scope.channelId}|${event.delivery.mids.join(',')}`).digest('base64url').slice(0, 32);
    return acceptStatusEvent(deps, { eventKey, event: { provider: 'facebook', scope, status: 'delivered', at, providerMessageIds: event.delivery.mids } });
  } else if (event.read) {
    const { workflowId } = conversationWorkflowIdFor(deps, resolved, event.sender.id);
    const watermark = new Date(event.read.watermark).toISOString();
    return acceptStatusEvent(deps, {
      eventKey: createHash('sha256').update(`${workflowId}|${event.read.watermark}`).digest('base64url').slice(0, 32),
      event: { provider: 'facebook', scope, status: 'read', at, readUpTo: { conversationWorkflowId: workflowId, watermark } },
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

const invalidSignature = () => new ForbiddenError({ code: 'invalid_signature', message: 'X-Hub-Signature-256 does not match this request' });

/**
 * The batch's pages that are ours, each of whose app secret signed the body. The app secret is per channel,
 * so the page ids (distinct ones, in one query) are looked up unauthenticated; each channel is loaded only
 * after the one before it verified the signature. A batch with no known page answers exactly like a wrong
 * signature, so the answer tells nothing about which pages are configured.
 */
async function verifiedPages(deps: WebhookDependencies, pageIds: string[], signed: { rawBody: Buffer; signatureHeader: string | undefined }) {
  const entryPoints = await deps.directory.findEntryPoints(pageIds.map((pageId) => entryPointId('facebook', pageId)));
  if (entryPoints.length === 0) throw invalidSignature();
  const pages = new Map<string, ResolvedEntryPoint>();
  for (const entryPoint of entryPoints) {
    const resolved = await deps.directory.resolveEntryPoint(entryPoint._id);
    if (!resolved) continue;
    if (resolved.secrets.kind !== 'facebook' || !verifyFacebookSignature({ appSecret: resolved.secrets.appSecret, ...signed })) throw invalidSignature();
    pages.set(entryPoint.address, resolved);
  }
  if (pages.size === 0) throw invalidSignature();
  return pages;
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
        403: { description: 'Signature missing or wrong (also when no channel has a page of the batch), or every page of the batch is disabled' },
        404: { description: 'Not a "page" (Messenger) webhook' },
        503: { description: 'Neither the database (inbound journal) nor Temporal is available: Facebook should retry' },
      },
    },
    async ({ body, req, res }) => {
      if (body.object !== 'page') throw new NotFoundError({ code: 'unsupported_object', message: 'Only "page" (Messenger) webhooks are handled' });
      const rawBody = (req as Request & { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0);
      const pages = await verifiedPages(deps, body.entry.map((entry) => entry.id), { rawBody, signatureHeader: req.header('x-hub-signature-256') });
      const known = body.entry.flatMap((entry) => {
        const resolved = pages.get(entry.id);
        return resolved?.active ? [{ resolved, events: entry.messaging }] : [];
      });
      if (known.length === 0) throw new ForbiddenError({ code: 'channel_disabled', message: 'Every page in this batch belongs to a disabled brand or channel' });
      await deps.intake.settle(await acceptBatch(deps, known));
      res.status(200).type('text/plain').send('EVENT_RECEIVED');
    },
  );
}
