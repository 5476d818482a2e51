import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import type { RunningSystem } from '../../runtime/system.js';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/**
 * A brand with one Twilio number, and a function that delivers one signed
 * inbound SMS to our webhook — the full ack path: verification, masking,
 * signalWithStart, TwiML answer.
 */
export async function prepareTwilioWebhook(system: RunningSystem) {
  const api = system.api!.url;
  const { adminToken } = system.services.settings.security;
  const admin = (path: string, body: unknown) =>
    fetch(`${api}${path}`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const accountSid = `AC${hex(16)}`;
  const authToken = hex(16);
  const number = '+14155550100';
  await admin('/api/v1/admin/brands', { id: 'bench', name: 'Bench' });
  const channel = await admin('/api/v1/admin/brands/bench/channels', { kind: 'twilio', accountSid, authToken, numbers: [{ phoneNumber: number, queueId: 'q' }] });
  if (channel.status !== 201) throw new Error(`could not create the bench channel: ${channel.status}`);

  const url = `${system.services.settings.http.publicBaseUrl}/webhooks/twilio`;
  return async (index: number) => {
    const params = { MessageSid: `SM${hex(16)}`, AccountSid: accountSid, From: `+1415600${String(index % 10_000).padStart(4, '0')}`, To: number, Body: 'Where is my order?', NumMedia: '0' };
    const response = await fetch(`${api}/webhooks/twilio`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, url, params) },
      body: new URLSearchParams(params).toString(),
    });
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
  };
}
