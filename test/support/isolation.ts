import { randomBytes, randomUUID } from 'node:crypto';
import twilio from 'twilio';
import { completeFirstSignIn, temporaryPassword } from './accounts.js';
import { call, postTwilioWebhook, type ConnectorWorld } from './connectors.js';
import { testAdminToken } from './settings.js';
import { twilioSid } from './standins/twilio-standin.js';
import { waitFor } from './wait-for.js';

export const OTHER_BRAND_NUMBER = '+14155550199';

/** A second brand in the world's system, owning one object of every kind a brand route names. */
export interface OtherBrand {
  form: { id: string };
  brandId: string;
  apiToken: string;
  accountSid: string;
  authToken: string;
  twilioChannelId: string;
  admin: { id: string; email: string; password: string; token: string };
  user: { id: string; email: string };
  profile: { id: string; name: string };
  conversation: { id: string; consumerId: string };
  message: { id: string };
}

const expectStatus = <T extends { status: number; body: unknown }>(what: string, response: T, status: number): T => {
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
  return response;
};

/** An inbound SMS to the other brand's number, signed with its own auth token the way Twilio signs. */
export function inboundSmsTo(world: ConnectorWorld, brand: Pick<OtherBrand, 'accountSid' | 'authToken'>, input: { from: string; body: string }) {
  const params = { MessageSid: twilioSid('SM'), AccountSid: brand.accountSid, From: input.from, To: OTHER_BRAND_NUMBER, Body: input.body, NumMedia: '0' };
  const signature = twilio.getExpectedTwilioSignature(brand.authToken, `${world.system.settings.http.publicBaseUrl}/webhooks/twilio`, params);
  return postTwilioWebhook(world, '/webhooks/twilio', params, { signature });
}

/**
 * Brand B next to the world's brand A, on the same servers: created through the
 * admin API with its first admin, a Twilio channel of its own (number feeding
 * queue "sales", like A's), a user, a custom profile and a conversation with
 * one inbound message from `consumer`.
 */
export async function startOtherBrand(world: ConnectorWorld, consumer: string): Promise<OtherBrand> {
  const suffix = randomBytes(3).toString('hex');
  const brandId = `globex-${suffix}`;
  const accountSid = twilioSid('AC');
  const authToken = randomBytes(16).toString('hex');
  world.twilio.addAccount(accountSid, authToken, [OTHER_BRAND_NUMBER]);

  const brand = expectStatus('create brand B', await call(world, 'POST', '/api/v1/admin/brands', testAdminToken, { id: brandId, name: 'Globex' }), 201);
  const channel = expectStatus('create B\'s Twilio channel', await call(world, 'POST', `/api/v1/admin/brands/${brandId}/channels`, testAdminToken, {
    kind: 'twilio', accountSid, authToken, numbers: [{ phoneNumber: OTHER_BRAND_NUMBER, queueId: 'sales' }],
  }), 201);

  const adminFields = { email: `b-admin-${suffix}@example.com`, password: `pw-${randomBytes(16).toString('base64url')}` };
  const temporary = temporaryPassword();
  const admin = expectStatus('create B\'s first admin', await call(world, 'POST', `/api/v1/admin/brands/${brandId}/users`, testAdminToken, {
    email: adminFields.email, password: temporary, name: 'Globex Admin', profile: 'admin',
  }), 201);
  // B's admin replaces the platform admin's temporary password first (PCI DSS 8.3.5).
  const adminToken = await completeFirstSignIn(world.system.url, { brandId, email: adminFields.email, temporaryPassword: temporary, password: adminFields.password });

  const profileName = `b-only-${suffix}`;
  const profile = expectStatus('create B\'s profile', await call(world, 'POST', '/api/v1/profiles', adminToken, {
    name: profileName, role: 'agent', permissions: ['conversation.view', 'conversation.reply'],
  }), 201);
  const userEmail = `b-user-${suffix}@example.com`;
  const user = expectStatus('create B\'s user', await call(world, 'POST', '/api/v1/users', adminToken, {
    email: userEmail, name: 'Globex Agent', profile: `custom:${profileName}`, password: `pw-${randomBytes(16).toString('base64url')}`, skills: ['sales'],
  }), 201);

  const sms = await inboundSmsTo(world, { accountSid, authToken }, { from: consumer, body: 'hello Globex' });
  if (sms.status !== 200) throw new Error(`B's inbound SMS answered ${sms.status}: ${await sms.text()}`);
  // Picked by entry point, not by count: set-up must not depend on the isolation under test.
  const [conversation] = await waitFor(
    async () => ((await call(world, 'GET', '/api/v1/conversations?view=all', adminToken)).body.items as { id: string; entryPointId: string; consumer: { id: string } }[])
      .filter((item) => item.entryPointId.endsWith(OTHER_BRAND_NUMBER)),
    (items) => items.length === 1,
  );
  const [message] = await waitFor(
    async () => (await call(world, 'GET', `/api/v1/conversations/${encodeURIComponent(conversation!.id)}/messages`, adminToken)).body.items as { id: string }[],
    (items) => items.length === 1,
  );

  // A secure form of B's (written directly: sending one needs an agent B assigns; the row is what matters here).
  const formId = randomUUID();
  await world.system.services.database.db.collection('secure_forms').insertOne({
    _id: formId as never, brandId, conversationId: conversation!.id, agentId: admin.body.id, templateId: 'card-payment', title: 'Pay by card',
    fields: [], status: 'submitted', sentAt: new Date(), linkExpiresAt: new Date(), offRecordFields: [],
  });

  return {
    form: { id: formId },
    brandId, apiToken: brand.body.apiToken as string, accountSid, authToken, twilioChannelId: channel.body.id as string,
    admin: { id: admin.body.id as string, ...adminFields, token: adminToken },
    user: { id: user.body.id as string, email: userEmail },
    profile: { id: profile.body.id as string, name: profileName },
    conversation: { id: conversation!.id, consumerId: conversation!.consumer.id },
    message: { id: message!.id },
  };
}
