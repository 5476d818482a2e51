import { call, inboundSms, type ConnectorWorld } from './connectors.js';
import { addAgent, setAvailability, type Agent } from './workspace.js';

let phone = 0;

/** An SMS conversation accepted by a new agent: where a form can be sent. */
export async function conversationWithAgent(world: ConnectorWorld): Promise<{ agent: Agent; conversationId: string; consumer: string }> {
  const agent = await addAgent(world, { skills: ['sales'] });
  await setAvailability(world, agent, 'away');
  const consumer = `+1415558${String(1000 + ++phone).padStart(4, '0')}`;
  await inboundSms(world, { from: consumer, body: 'I want to pay my bill' });
  const deadline = Date.now() + 15_000;
  for (;;) {
    const queue = (await call(world, 'GET', '/api/v1/conversations?view=queue', agent.token)).body.items as { id: string; consumer: { display: string } }[];
    const found = queue.find((c) => c.consumer.display.endsWith(consumer.slice(-4)));
    if (found && (await call(world, 'POST', `/api/v1/conversations/${found.id}/accept`, agent.token)).status === 200) return { agent, conversationId: found.id, consumer };
    if (Date.now() > deadline) throw new Error('conversation never reached the queue');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The one-time link the consumer received by SMS (from the Twilio stand-in). */
export async function linkSentTo(world: ConnectorWorld, consumer: string): Promise<string> {
  return (await linksSentTo(world, consumer, 1))[0]!;
}

/** Every one-time form link the consumer received by SMS, oldest first, once there are at least `count`. */
export async function linksSentTo(world: ConnectorWorld, consumer: string, count: number): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const sent = world.twilio.sent.filter((m) => m.to === consumer).map((m) => /\/forms\/[A-Za-z0-9_-]{43}/.exec(m.body)?.[0]).filter((link): link is string => Boolean(link));
    if (sent.length >= count) return sent;
    if (Date.now() > deadline) throw new Error(`${sent.length} form link(s) were sent, not ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * What the consumer does with a link: fetch it (as a link previewer also
 * would: that spends nothing), then press "Open the secure form", which POSTs
 * the link's key. The answer to that POST (the form, or 410); the link page's
 * own answer when it is not 200.
 */
export async function openFormLink(world: ConnectorWorld, link: string): Promise<Response> {
  const shown = await fetch(`${world.system.url}${link}`);
  if (shown.status !== 200) return shown;
  const html = await shown.text();
  const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
  if (!action) throw new Error('the link page has no "open" button');
  return fetch(`${world.system.url}${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ key: hiddenKey(html) }).toString(),
  });
}

/** The one-time key in a page's hidden "key" field: the submit key on a form page, the open key on a link page. */
export function hiddenKey(html: string): string {
  const key = /name="key" value="([A-Za-z0-9_-]{43})"/.exec(html)?.[1];
  if (!key) throw new Error('no submit key in the page');
  return key;
}

export function postForm(world: ConnectorWorld, formId: string, fields: Record<string, string>) {
  return fetch(`${world.system.url}/forms/${formId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}
