import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { newTenant, request, type Tenant } from '../accounts.js';
import type { ConnectorWorld } from '../connectors.js';
import { hiddenKey } from '../secure-forms.js';
import { testAdminToken } from '../settings.js';
import { twilioSid } from '../standins/twilio-standin.js';
import { waitFor } from '../wait-for.js';

/** A brand of its own with a Twilio number in the queue "sales", which its first admin works. */
export interface Shop {
  tenant: Tenant;
  number: string;
  accountSid: string;
  authToken: string;
  channelId: string;
}

export interface Conversation {
  id: string;
  consumer: string;
  /** The consumer's first message. */
  inboundId: string;
}

let numbers = 0;
const consumers = () => `+1415556${String(++numbers).padStart(4, '0')}`;

async function ok(system: ConnectorWorld['system'], method: string, path: string, token: string, body?: unknown, status = 200) {
  const response = await request(system, method, path, { token, body });
  if (response.status !== status) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function newShop(world: ConnectorWorld): Promise<Shop> {
  const tenant = await newTenant(world.system);
  const number = `+1628555${String(++numbers).padStart(4, '0')}`;
  const accountSid = twilioSid('AC');
  const authToken = randomBytes(16).toString('hex');
  world.twilio.addAccount(accountSid, authToken, [number]);
  const channel = await ok(world.system, 'POST', `/api/v1/admin/brands/${tenant.brandId}/channels`, testAdminToken, {
    kind: 'twilio', accountSid, authToken, numbers: [{ phoneNumber: number, queueId: 'sales' }],
  }, 201);
  // Away: the router assigns nothing by itself, so each conversation waits until the admin accepts it.
  await ok(world.system, 'PATCH', `/api/v1/users/${tenant.admin.id}`, tenant.admin.token, { skills: ['sales'] });
  await ok(world.system, 'PUT', '/api/v1/me/availability', tenant.admin.token, { availability: 'away' });
  return { tenant, number, accountSid, authToken, channelId: channel.id as string };
}

/** A consumer texts the shop: the conversation waiting in "sales". */
export async function waitingConversation(world: ConnectorWorld, shop: Shop): Promise<Conversation> {
  const consumer = consumers();
  const params = { MessageSid: twilioSid('SM'), AccountSid: shop.accountSid, From: consumer, To: shop.number, Body: 'I need help', NumMedia: '0' };
  const url = `${world.system.settings.http.publicBaseUrl}/webhooks/twilio`;
  const response = await fetch(`${world.system.url}/webhooks/twilio`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(shop.authToken, url, params) },
    body: new URLSearchParams(params).toString(),
  });
  if (response.status !== 200) throw new Error(`the Twilio webhook answered ${response.status}`);
  const listed = await waitFor(
    async () => (await ok(world.system, 'GET', '/api/v1/conversations?view=all', shop.tenant.apiToken)).items as { id: string; consumer: { display: string } }[],
    (items) => items.some((item) => item.consumer.display.endsWith(consumer.slice(-4))),
  );
  const id = listed.find((item) => item.consumer.display.endsWith(consumer.slice(-4)))!.id;
  const transcript = await ok(world.system, 'GET', `/api/v1/conversations/${id}/messages`, shop.tenant.apiToken);
  return { id, consumer, inboundId: transcript.items[0].id as string };
}

/** A conversation the shop's admin accepted (the router may take a moment to see it waiting). */
export async function assignedConversation(world: ConnectorWorld, shop: Shop): Promise<Conversation> {
  const conversation = await waitingConversation(world, shop);
  await waitFor(
    async () => (await request(world.system, 'POST', `/api/v1/conversations/${conversation.id}/accept`, { token: shop.tenant.admin.token })).status,
    (status) => status === 200,
  );
  return conversation;
}

/** The admin's reply, once its delivery attempt is over: queued at the provider, or failed when the number cannot send. */
export async function reply(world: ConnectorWorld, shop: Shop, conversationId: string): Promise<{ id: string; status: string }> {
  const { messageId } = await ok(world.system, 'POST', `/api/v1/conversations/${conversationId}/replies`, shop.tenant.admin.token, { text: 'How can I help?' }, 202);
  const settled = (status: string) => !['pending', 'retrying'].includes(status);
  const message = await waitFor(
    async () => ((await ok(world.system, 'GET', `/api/v1/conversations/${conversationId}/messages`, shop.tenant.admin.token)).items as { id: string; status: string }[])
      .find((item) => item.id === messageId),
    (found) => Boolean(found && settled(found.status)),
  );
  return message!;
}

/** A reply that failed for good: the stand-in refuses the shop's number for as long as it is sent. */
export async function failedReply(world: ConnectorWorld, shop: Shop, conversationId: string) {
  world.twilio.addAccount(shop.accountSid, shop.authToken, ['+19999999999']);
  try {
    return await reply(world, shop, conversationId);
  } finally {
    world.twilio.addAccount(shop.accountSid, shop.authToken, [shop.number]);
  }
}

export async function closeConversation(world: ConnectorWorld, shop: Shop, conversationId: string) {
  await ok(world.system, 'POST', `/api/v1/conversations/${conversationId}/close`, shop.tenant.admin.token, {});
}

/** A secure form the admin sent; its link key as the consumer received it. */
export async function sentForm(world: ConnectorWorld, shop: Shop): Promise<{ formId: string; linkKey: string }> {
  const conversation = await assignedConversation(world, shop);
  const { formId } = await ok(world.system, 'POST', `/api/v1/conversations/${conversation.id}/forms`, shop.tenant.admin.token, { templateId: 'identity-check' }, 201);
  const link = await waitFor(
    async () => world.twilio.sent.filter((sms) => sms.to === conversation.consumer).map((sms) => /\/forms\/([A-Za-z0-9_-]{43})/.exec(sms.body)?.[1]).find(Boolean),
    Boolean,
  );
  return { formId: formId as string, linkKey: link! };
}

/** The consumer opened the form: its one-time submit key. */
export async function openedForm(world: ConnectorWorld, shop: Shop): Promise<{ formId: string; submitKey: string }> {
  const { formId, linkKey } = await sentForm(world, shop);
  const page = await fetch(`${world.system.url}/forms/link/open`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ key: linkKey }).toString(),
  });
  if (page.status !== 200) throw new Error(`opening the form answered ${page.status}`);
  return { formId, submitKey: hiddenKey(await page.text()) };
}

/** The consumer submitted the form. */
export async function submittedForm(world: ConnectorWorld, shop: Shop): Promise<{ formId: string }> {
  const { formId, submitKey } = await openedForm(world, shop);
  const done = await fetch(`${world.system.url}/forms/${formId}`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ key: submitKey, ssn: '123-45-6789', secretAnswer: 'blue whale' }).toString(),
  });
  if (done.status !== 200) throw new Error(`submitting the form answered ${done.status}`);
  return { formId };
}

export async function revealKey(world: ConnectorWorld, shop: Shop, formId: string): Promise<string> {
  return (await ok(world.system, 'POST', `/api/v1/forms/${formId}/reveal-key`, shop.tenant.admin.token, undefined, 201)).key as string;
}

/** Another API token of the brand: the id of the newest. */
export async function apiToken(world: ConnectorWorld, shop: Pick<Shop, 'tenant'>): Promise<string> {
  const issued = await ok(world.system, 'POST', `/api/v1/admin/brands/${shop.tenant.brandId}/api-tokens`, testAdminToken, {}, 201);
  const tokens = issued.brand.apiTokens as { id: string; createdAt: string }[];
  return tokens.reduce((newest, token) => (token.createdAt > newest.createdAt ? token : newest)).id;
}

export async function customProfile(world: ConnectorWorld, shop: Pick<Shop, 'tenant'>): Promise<string> {
  return (await ok(world.system, 'POST', '/api/v1/profiles', shop.tenant.admin.token, { name: `team-${++numbers}`, role: 'agent', permissions: ['conversation.view'] }, 201)).id as string;
}
