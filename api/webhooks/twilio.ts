import type { Request } from 'express';
import { z } from 'zod';
import type { ResolvedChannel } from '../../db/repositories/channel-directory.js';
import { smsKeyword } from '../../services/messages/sms-keywords.js';
import { maskSensitive } from '../../services/messages/mask-sensitive.js';
import { verifyTwilioSignature } from '../../services/channels/twilio/verify-signature.js';
import { entryPointId } from '../../db/repositories/channels.js';
import type { MessageStatus } from '../../db/repositories/messages.js';
import { ForbiddenError } from '../errors.js';
import type { ApiRoutes } from '../openapi/routes.js';
import { acceptInboundMessage, acceptStatusEvent } from '../use-cases/inbound/accept-inbound.js';
import { signedUrl, type WebhookDependencies } from './dependencies.js';
import { twilioSignedUrlCandidates } from '../../services/channels/twilio/connection-overrides.js';

const FORM = 'application/x-www-form-urlencoded';
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
const e164 = z.string().regex(/^\+[1-9]\d{1,14}$/, 'must be an E.164 number');

const inboundSchema = z
  .object({
    MessageSid: z.string().regex(/^(SM|MM)[0-9a-f]{32}$/),
    AccountSid: z.string().regex(/^AC[0-9a-f]{32}$/),
    From: e164,
    To: e164,
    Body: z.string().max(10_000).default(''),
    NumMedia: z.coerce.number().int().min(0).max(10).default(0),
  })
  .catchall(z.string())
  .openapi('TwilioInboundMessage');

const statusSchema = z
  .object({
    MessageSid: z.string().regex(/^(SM|MM)[0-9a-f]{32}$/),
    AccountSid: z.string().regex(/^AC[0-9a-f]{32}$/),
    MessageStatus: z.enum(['accepted', 'scheduled', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'read', 'canceled', 'receiving', 'received']),
    ErrorCode: z.string().optional(),
  })
  .catchall(z.string())
  .openapi('TwilioStatusCallback');

const ourStatus: Partial<Record<z.infer<typeof statusSchema>['MessageStatus'], MessageStatus>> = {
  accepted: 'queued', scheduled: 'queued', queued: 'queued', sending: 'sent', sent: 'sent',
  delivered: 'delivered', undelivered: 'undelivered', failed: 'failed', read: 'read', canceled: 'failed',
};

/**
 * Nothing unverified goes further: the account must be the channel's and the signature Twilio's. No channel at
 * all answers exactly like a wrong signature, so the answer tells nothing about which numbers are configured.
 */
function assertSignedByTwilio(deps: WebhookDependencies, resolved: ResolvedChannel | undefined, req: Request, accountSid: string): asserts resolved is ResolvedChannel {
  const invalid = new ForbiddenError({ code: 'invalid_signature', message: 'X-Twilio-Signature does not match this request' });
  if (resolved?.secrets.kind !== 'twilio') throw invalid;
  const { authToken } = resolved.secrets;
  const valid =
    resolved.secrets.accountSid === accountSid &&
    twilioSignedUrlCandidates(signedUrl(deps.publicBaseUrl, req.originalUrl)).some((url) =>
      verifyTwilioSignature({ authToken, signature: req.header('x-twilio-signature'), url, params: req.body as Record<string, string> }),
    );
  if (!valid) throw invalid;
}

const errorResponses = {
  403: { description: 'Signature missing or wrong (also when no channel has this number), or the number is disabled' },
  503: { description: 'Neither the database (inbound journal) nor Temporal is available: Twilio should retry' },
};

/** Twilio SMS/MMS webhooks: verify, accept durably (journal, then Temporal), answer. */
export function registerTwilioWebhooks(routes: ApiRoutes, deps: WebhookDependencies) {
  routes.add(
    {
      method: 'post', path: '/webhooks/twilio', operationId: 'twilioInboundMessage', tags: ['webhooks'],
      summary: 'Inbound SMS/MMS from Twilio (X-Twilio-Signature required)',
      body: inboundSchema, bodyContentType: FORM,
      responses: { 200: { description: 'Accepted durably (journaled or in Temporal); empty TwiML', contentType: 'text/xml', schema: z.string() }, ...errorResponses },
    },
    async ({ body, req, res }) => {
      const resolved = await deps.directory.resolveEntryPoint(entryPointId('twilio', body.To));
      assertSignedByTwilio(deps, resolved, req, body.AccountSid);
      if (!resolved.active) throw new ForbiddenError({ code: 'channel_disabled', message: 'This number belongs to a disabled brand or channel' });

      const attachments = Array.from({ length: body.NumMedia }, (_, i) => ({
        type: 'media',
        ...(body[`MediaUrl${i}`] ? { url: String(body[`MediaUrl${i}`]) } : {}),
        ...(body[`MediaContentType${i}`] ? { contentType: String(body[`MediaContentType${i}`]) } : {}),
      }));
      const { text } = maskSensitive(body.Body);
      const receipt = await acceptInboundMessage(deps, {
        resolved,
        consumerAddress: body.From,
        message: {
          providerMessageId: body.MessageSid,
          kind: 'text',
          text,
          attachments,
          receivedAt: new Date().toISOString(),
          ...(smsKeyword(body.Body) ? { keyword: smsKeyword(body.Body) } : {}),
        },
      });
      await deps.intake.settle([receipt]);
      res.status(200).type('text/xml').send(EMPTY_TWIML);
    },
  );

  routes.add(
    {
      method: 'post', path: '/webhooks/twilio/status', operationId: 'twilioStatusCallback', tags: ['webhooks'],
      summary: 'Delivery status callback for a message we sent (X-Twilio-Signature required)',
      query: z.object({ channelId: z.string().min(1).max(64), messageId: z.string().min(1) }),
      body: statusSchema, bodyContentType: FORM,
      responses: { 204: { description: 'Accepted durably' }, ...errorResponses },
    },
    async ({ query, body, req, res }) => {
      const resolved = await deps.directory.resolveChannel(query.channelId);
      assertSignedByTwilio(deps, resolved, req, body.AccountSid);
      const status = ourStatus[body.MessageStatus];
      if (status) {
        // Only a message of this channel (and brand) is touched; any other id is ignored, answered like any callback.
        const scope = { brandId: resolved.brand._id, channelId: resolved.channel._id };
        const receipt = await acceptStatusEvent(deps, {
          eventKey: `${scope.channelId}:${body.MessageSid}`,
          event: { provider: 'twilio', scope, messageId: query.messageId, status, at: new Date().toISOString(), ...(body.ErrorCode ? { errorCode: body.ErrorCode } : {}) },
        });
        await deps.intake.settle([receipt]);
      }
      res.status(204).end();
    },
  );
}
