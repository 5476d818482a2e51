import { ApplicationFailure, Context, activityInfo } from '@temporalio/activity';
import { messageTextContext } from '../../db/repositories/field-contexts.js';
import type { MessageOwner, MessageStatus } from '../../db/repositories/messages.js';
import type { ConversationRef } from '../../workflows/conversation/definitions.js';
import { messengerWindow } from '../../workflows/conversation/messaging-window.js';
import { DeliveryError } from '../delivery/delivery-error.js';
import { sendMessengerMessage } from '../facebook/send-message.js';
import { findTwilioMessage } from '../twilio/find-sent-message.js';
import { sendTwilioMessage } from '../twilio/send-message.js';
import { TWILIO_CONNECTION_OVERRIDES } from '../../services/channels/twilio/connection-overrides.js';
import { publishMessageStatus } from '../routing/conversation-events.js';
import { repositories, type ConversationActivityDependencies } from './dependencies.js';

export interface DeliverInput {
  conversation: ConversationRef;
  messageId: string;
  lastInboundAt?: string;
}

const rejected = (code: string, reason: string) => ApplicationFailure.create({ type: 'DeliveryRejected', message: reason, nonRetryable: true, details: [{ code, reason }] });

function toFailure(error: unknown): ApplicationFailure {
  if (!(error instanceof DeliveryError)) throw error;
  if (!error.retryable) return rejected(`${error.provider}_${error.code}`, error.reason);
  return ApplicationFailure.create({
    type: 'DeliveryRetryable',
    message: error.reason,
    details: [{ code: `${error.provider}_${error.code}`, reason: error.reason, ...(error.retryAfterMs ? { retryAfterMs: error.retryAfterMs } : {}) }],
    ...(error.retryAfterMs ? { nextRetryDelay: error.retryAfterMs } : {}),
  });
}

const HEARTBEAT_MS = 3_000;
const MARGIN_MS = 5_000;

/**
 * Provider calls get what is left of this attempt's start-to-close timeout (less a margin), never more than
 * PROVIDER_TIMEOUT_MS: an attempt always ends before Temporal could start the next one, so two never overlap.
 */
function providerTimeout(configuredMs: number): number {
  const info = activityInfo();
  const remaining = info.startToCloseTimeoutMs - (Date.now() - info.currentAttemptScheduledTimestampMs) - MARGIN_MS;
  if (remaining < 1_000) throw new DeliveryError({ provider: 'twilio', code: 'attempt_out_of_time', reason: 'The send attempt ran out of time', retryable: true });
  return Math.min(configuredMs, remaining);
}

/** Heartbeats while the attempt runs, so a dead worker is noticed in seconds rather than at the start-to-close timeout. */
async function heartbeating<T>(work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => Context.current().heartbeat(), HEARTBEAT_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/**
 * Sends one stored outbound message through its provider, exactly once: a
 * message that already has a provider id is not sent again, and a retry after
 * an attempt that may have reached Twilio first looks the message up there.
 */
export function deliverMessageActivity(deps: ConversationActivityDependencies) {
  const { messages, optOuts } = repositories(deps.db);

  return async function deliverMessage(input: DeliverInput): Promise<{ providerMessageId: string; status: MessageStatus }> {
    return heartbeating(() => deliver(input));
  };

  /** The provider took the message: recorded, and told to the agent live (one event per provider message). */
  async function recordHandedOver(owner: MessageOwner, messageId: string, providerMessageId: string, status: MessageStatus, at: Date) {
    await messages.recordStatus(owner, messageId, { status, at });
    await publishMessageStatus(deps.db, { conversationId: owner.conversationId, messageId, status, key: `status:${messageId}:${status}:${providerMessageId}` });
  }

  async function deliver(input: DeliverInput): Promise<{ providerMessageId: string; status: MessageStatus }> {
    const { conversation: ref } = input;
    const owner: MessageOwner = { brandId: ref.brandId, conversationId: ref.conversationId };
    // Only this conversation's own message: an id another brand or conversation holds reads as missing.
    // The opt-out is read alongside (one round trip for both); it matters only for a message still to be sent by SMS.
    const [message, optedOut] = await Promise.all([
      messages.get(owner, input.messageId),
      ref.channel === 'sms' ? optOuts.isOptedOut(ref.entryPointId, ref.consumer.pseudonym) : false,
    ]);
    if (!message?.text || message.direction !== 'outbound') throw rejected('message_missing', 'The message to send was not found in this conversation');
    if (message.status === 'canceled') throw rejected('canceled', 'The message was canceled');
    if (message.providerMessageId) {
      // Sent by an earlier attempt that stopped before recording it (a crash, the database going away): record it now.
      const unrecorded = message.status === 'pending' || message.status === 'retrying';
      const status: MessageStatus = unrecorded ? (ref.channel === 'sms' ? 'queued' : 'sent') : message.status;
      if (unrecorded) await recordHandedOver(owner, message._id, message.providerMessageId, status, new Date());
      return { providerMessageId: message.providerMessageId, status };
    }

    const resolved = await deps.directory.resolveChannel(ref.channelId);
    if (!resolved) throw rejected('channel_missing', 'The channel of this conversation no longer exists');
    if (!resolved.active) throw rejected('channel_disabled', 'The brand or channel is disabled: enable it to send');
    const text = deps.fields.open(message.text, messageTextContext(message));
    const now = new Date();

    try {
      if (resolved.secrets.kind === 'twilio') {
        if (optedOut) {
          throw rejected('opted_out', 'The consumer opted out (STOP) of messages from this number; they must text START first');
        }
        const twilio = {
          baseUrl: deps.providers.twilioApiBaseUrl,
          accountSid: resolved.secrets.accountSid,
          authToken: resolved.secrets.authToken,
        };
        const from = ref.entryPointId.slice('twilio:'.length);
        const before = await messages.markAttempt(message, now);
        if ((before?.sendAttempts ?? 0) > 0 || activityInfo().attempt > 1) {
          const sentAfter = new Date((before?.firstAttemptAt ?? now).getTime() - 60_000);
          const candidates = await findTwilioMessage({
            ...twilio, from, to: ref.consumer.address, body: text, sentAfter, timeoutMs: providerTimeout(deps.providers.timeoutMs),
          });
          // The same text sent earlier ("OK" twice) is another message's send, not this one's lost answer.
          const earlier = new Set(message.previousProviderIds ?? []);
          let existing: string | undefined;
          for (const sid of candidates) {
            if (!earlier.has(sid) && !(await messages.providerIdInUse(sid))) existing = sid;
            if (existing) break;
          }
          if (existing) {
            await messages.setProviderId(message, existing);
            await recordHandedOver(owner, message._id, existing, 'queued', now);
            return { providerMessageId: existing, status: 'queued' };
          }
        }
        const callback = new URL('/webhooks/twilio/status', deps.publicBaseUrl);
        callback.searchParams.set('channelId', ref.channelId);
        callback.searchParams.set('messageId', message._id);
        // Twilio's connection overrides: retry our status webhook 5 times, on any failure (see connection-overrides.ts).
        callback.hash = TWILIO_CONNECTION_OVERRIDES;
        const sent = await sendTwilioMessage({
          ...twilio, from, to: ref.consumer.address, body: text, statusCallback: callback.toString(), timeoutMs: providerTimeout(deps.providers.timeoutMs),
        });
        await messages.setProviderId(message, sent.providerMessageId);
        await recordHandedOver(owner, message._id, sent.providerMessageId, 'queued', now);
        return { providerMessageId: sent.providerMessageId, status: 'queued' };
      }

      const window = messengerWindow(input.lastInboundAt, now);
      if (!window.allowed) throw rejected('outside_window', window.reason);
      await messages.markAttempt(message, now);
      const sent = await sendMessengerMessage({
        baseUrl: deps.providers.facebookGraphBaseUrl,
        timeoutMs: providerTimeout(deps.providers.timeoutMs),
        pageAccessToken: resolved.secrets.pageAccessToken,
        recipientPsid: ref.consumer.address,
        text,
        messagingType: window.messagingType,
        ...(window.messagingType === 'MESSAGE_TAG' ? { tag: window.tag } : {}),
        // Echoed back in message_echoes: how we recognise our own sends there.
        metadata: message._id,
      });
      await messages.setProviderId(message, sent.providerMessageId);
      await recordHandedOver(owner, message._id, sent.providerMessageId, 'sent', now);
      return { providerMessageId: sent.providerMessageId, status: 'sent' };
    } catch (error) {
      if (error instanceof ApplicationFailure) throw error;
      throw toFailure(error);
    }
  }
}
