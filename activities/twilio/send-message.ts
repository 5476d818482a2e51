import { DeliveryError } from '../delivery/delivery-error.js';
import { createTwilioClient } from './twilio-client.js';
import { toTwilioDeliveryError } from './twilio-errors.js';

export interface SendTwilioMessageInput {
  /** `https://api.twilio.com` in production; a stand-in in tests. */
  baseUrl: string;
  accountSid: string;
  authToken: string;
  from: string;
  to: string;
  body?: string;
  mediaUrls?: string[];
  /** Absolute URL Twilio posts status updates (queued → sent → delivered / failed) to. */
  statusCallback: string;
  timeoutMs?: number;
}

export interface SendTwilioMessageResult {
  /** Message SID (`SM…`, or `MM…` with media). */
  providerMessageId: string;
  status: string;
}

/** Creates one outbound SMS/MMS. Throws DeliveryError (see twilio-errors.ts) when Twilio refuses or is unreachable. */
export async function sendTwilioMessage(input: SendTwilioMessageInput): Promise<SendTwilioMessageResult> {
  const { client, http } = createTwilioClient(input);
  let message;
  try {
    message = await client.messages.create({
      to: input.to,
      from: input.from,
      body: input.body,
      mediaUrl: input.mediaUrls?.length ? input.mediaUrls : undefined,
      statusCallback: input.statusCallback,
    });
  } catch (error) {
    throw toTwilioDeliveryError(error, http.retryAfterMs());
  }
  if (typeof message.sid !== 'string' || message.sid === '') {
    // Accepted but unreadable (a proxy's page?): retrying may double-send, which findTwilioMessage guards against.
    throw new DeliveryError({ provider: 'twilio', code: 'bad_response', reason: 'Twilio answered without a message id', retryable: true });
  }
  return { providerMessageId: message.sid, status: message.status };
}
