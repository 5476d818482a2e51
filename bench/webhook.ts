import twilio from 'twilio';
import { twilioSid } from '../test/support/standins/twilio-standin.js';
import { BRAND_NUMBER, type BenchWorld } from './world.js';

/** A consumer's number, unique per (series, index): series 200–999 keep scenarios' consumers apart. */
export const consumerNumber = (series: number, index: number) => `+1${series}${String(index).padStart(7, '0')}`;

export interface SentSms {
  /** The transcript id the message gets, and that its message.created event names. */
  messageId: string;
  /** performance.now() when the request left. */
  sentAt: number;
  ackMs: number;
}

/** One signed inbound SMS to /webhooks/twilio, as Twilio sends it; resolves on the 200 (TwiML) answer. */
export async function sendInboundSms(world: BenchWorld, from: string, body = 'Where is my order?'): Promise<SentSms> {
  const sid = twilioSid('SM');
  const params = { MessageSid: sid, AccountSid: world.accountSid, From: from, To: BRAND_NUMBER, Body: body, NumMedia: '0' };
  const signature = twilio.getExpectedTwilioSignature(world.authToken, `${world.publicBaseUrl}/webhooks/twilio`, params);
  const sentAt = performance.now();
  const response = await fetch(`${world.api}/webhooks/twilio`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`the Twilio webhook answered ${response.status}`);
  return { messageId: `twilio:${sid}`, sentAt, ackMs: performance.now() - sentAt };
}
