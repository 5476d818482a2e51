import { createTwilioClient } from './twilio-client.js';
import { toTwilioDeliveryError } from './twilio-errors.js';

export interface FindTwilioMessageInput {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  from: string;
  to: string;
  body: string;
  /** When the earlier attempt started. Twilio compares DateSent at whole seconds (this is floored). */
  sentAfter: Date;
  timeoutMs?: number;
}

/**
 * The SID of a message from `from` to `to` with exactly `body`, sent at or after `sentAfter`, if Twilio has one:
 * asked before re-sending when an earlier attempt may have reached Twilio. Throws DeliveryError like a send.
 */
export async function findTwilioMessage(input: FindTwilioMessageInput): Promise<string | undefined> {
  const { client, http } = createTwilioClient(input);
  try {
    const messages = await client.messages.list({ to: input.to, from: input.from, dateSentAfter: input.sentAfter });
    return messages.find((message) => message.body === input.body)?.sid;
  } catch (error) {
    throw toTwilioDeliveryError(error, http.retryAfterMs());
  }
}
