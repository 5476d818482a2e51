import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import type { Log } from '../local-servers/index.js';

const BRAND_NUMBER = '+14155550100';

interface Replica {
  url: string;
}

async function call(base: string, method: string, path: string, token: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked by status
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as any };
}

async function expectStatus(what: string, answer: Promise<{ status: number; body: unknown }>, status: number) {
  const { status: got, body } = await answer;
  if (got !== status) throw new Error(`${what}: expected ${status}, got ${got} ${JSON.stringify(body)}`);
  return body;
}

/**
 * One round trip across the cluster: a brand and a Twilio number set up and a signed inbound SMS
 * received through the first replica; the worker records it through the real Temporal server; the
 * message read back, decrypted, through the second replica's REST API.
 */
export async function checkRoundTrip(options: { apis: Replica[]; publicBaseUrl: string; adminToken: string; log: Log; timeoutMs?: number }) {
  const [first, second = first] = options.apis;
  if (!first || !second) throw new Error('no API replica to check');
  for (const api of options.apis) await expectStatus(`${api.url}/readyz`, fetch(`${api.url}/readyz`).then(async (r) => ({ status: r.status, body: await r.json() })), 200);

  const brandId = `check-${randomBytes(4).toString('hex')}`;
  const created = (await expectStatus('create brand', call(first.url, 'POST', '/api/v1/admin/brands', options.adminToken, { id: brandId, name: 'Cluster check' }), 201)) as { apiToken: string };
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  await expectStatus('create channel', call(first.url, 'POST', `/api/v1/admin/brands/${brandId}/channels`, options.adminToken, {
    kind: 'twilio', accountSid, authToken, numbers: [{ phoneNumber: BRAND_NUMBER, queueId: 'check' }],
  }), 201);

  const sid = `SM${randomBytes(16).toString('hex')}`;
  const text = `cluster check ${sid.slice(-6)}`;
  const params = { MessageSid: sid, AccountSid: accountSid, From: '+14155550123', To: BRAND_NUMBER, Body: text, NumMedia: '0' };
  // Signed for the public address the replicas share, as Twilio signs it.
  const signature = twilio.getExpectedTwilioSignature(authToken, `${options.publicBaseUrl}/webhooks/twilio`, params);
  const sent = performance.now();
  const webhook = await fetch(`${first.url}/webhooks/twilio`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  });
  if (webhook.status !== 200) throw new Error(`webhook through ${first.url}: ${webhook.status} ${await webhook.text()}`);
  options.log(`Webhook accepted by ${first.url}; reading it back through ${second.url}...`);

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    const list = await call(second.url, 'GET', '/api/v1/conversations?view=all', created.apiToken);
    for (const conversation of (list.body?.items ?? []) as { id: string }[]) {
      const messages = await call(second.url, 'GET', `/api/v1/conversations/${conversation.id}/messages`, created.apiToken);
      const message = ((messages.body?.items ?? []) as { id: string; text?: string }[]).find((each) => each.id === `twilio:${sid}`);
      if (message?.text === text) return { brandId, conversationId: conversation.id, ms: Math.round(performance.now() - sent) };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the message sent through ${first.url} did not show up through ${second.url} within ${(options.timeoutMs ?? 60_000) / 1000} s`);
}
