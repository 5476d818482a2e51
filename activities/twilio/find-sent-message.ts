import { createTwilioClient } from './twilio-client.js';
import { toTwilioDeliveryError } from './twilio-errors.js';

export interface FindTwilioMessageInput {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  from: string;
  to: string;
  body: string;
  /** When the earlier attempt started (minus a margin for clock skew). */
  sentAfter: Date;
  timeoutMs?: number;
}

/**
 * The SID of a message from `from` to `to` with exactly `body`, created at or after `sentAfter`, if Twilio has one:
 * asked before re-sending when an earlier attempt may have reached Twilio. Throws DeliveryError like a send.
 */
export async function findTwilioMessage(input: FindTwilioMessageInput): Promise<string | undefined> {
  const { client, http } = createTwilioClient(input);
  try {
    // Not DateSent: Twilio sets it only once a message leaves its queue, so a queued duplicate would be
    // missed. The newest messages between the two numbers, filtered on creation time, are enough.
    const messages = await client.messages.list({ to: input.to, from: input.from, limit: 50 });
    return messages.find((message) => message.body === input.body && message.dateCreated >= input.sentAfter)?.sid;
  } catch (error) {
    throw toTwilioDeliveryError(error, http.retryAfterMs());
  }
}
