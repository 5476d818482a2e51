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
 * SIDs of messages from `from` to `to` with exactly `body`, created at or after `sentAfter`, oldest first:
 * asked before re-sending when an earlier attempt may have reached Twilio. The caller skips SIDs that
 * belong to other messages of ours (the same text sent twice). Throws DeliveryError like a send.
 */
export async function findTwilioMessage(input: FindTwilioMessageInput): Promise<string[]> {
  const { client, http } = createTwilioClient(input);
  try {
    // Not DateSent: Twilio sets it only once a message leaves its queue, so a queued duplicate would be
    // missed. The newest messages between the two numbers, filtered on creation time, are enough.
    const messages = await client.messages.list({ to: input.to, from: input.from, limit: 50 });
    // Twilio lists newest first, with dates to the second: reversed, a stable sort keeps same-second ones in order.
    return messages
      .filter((message) => message.body === input.body && message.dateCreated >= input.sentAfter)
      .reverse()
      .sort((a, b) => a.dateCreated.getTime() - b.dateCreated.getTime())
      .map((message) => message.sid);
  } catch (error) {
    throw toTwilioDeliveryError(error, http.retryAfterMs());
  }
}
