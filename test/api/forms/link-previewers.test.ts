/**
 * Messenger's crawler and SMS apps fetch a link to build a preview card before
 * the consumer taps it. Fetching the secure-form link must spend nothing, tell
 * the form's workflow nothing, and show a previewer nothing worth keeping.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secureFormStateQuery, secureFormWorkflowId } from '../../../workflows/secure-form/definitions.js';
import { call, startConnectorWorld, type ConnectorWorld } from '../../support/connectors.js';
import { conversationWithAgent, hiddenKey, linkSentTo, openFormLink } from '../../support/secure-forms.js';

let world: ConnectorWorld;
beforeAll(async () => {
  world = await startConnectorWorld();
}, 60_000);
afterAll(() => world?.stop());

/** A card form sent into a new conversation: its id, the agent's token and the link the consumer got. */
async function sentForm() {
  const { agent, conversationId, consumer } = await conversationWithAgent(world);
  const sent = await call(world, 'POST', `/api/v1/conversations/${conversationId}/forms`, agent.token, { templateId: 'card-payment' });
  if (sent.status !== 201) throw new Error(`sending the form failed: ${JSON.stringify(sent.body)}`);
  return { formId: sent.body.formId as string, token: agent.token, link: await linkSentTo(world, consumer) };
}

const previewerHeaders = { 'user-agent': 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)' };

describe('a link previewer fetching the secure-form link', () => {
  it('spends nothing: after two GETs and a HEAD the visitor still opens the form', async () => {
    const { link } = await sentForm();
    for (const method of ['GET', 'GET', 'HEAD']) expect((await fetch(`${world.system.url}${link}`, { method, headers: previewerHeaders })).status, method).toBe(200);
    const opened = await openFormLink(world, link);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain('name="cardNumber"');
  });

  it('tells the form workflow nothing: the form stays "sent" until the visitor presses Open', async () => {
    const { formId, token, link } = await sentForm();
    await fetch(`${world.system.url}${link}`, { headers: previewerHeaders });
    await fetch(`${world.system.url}${link}`, { method: 'HEAD', headers: previewerHeaders });
    expect((await call(world, 'GET', `/api/v1/forms/${formId}`, token)).body.status).toBe('sent');
    const handle = world.system.services.temporal.client.workflow.getHandle(secureFormWorkflowId(formId));
    expect((await handle.query(secureFormStateQuery)).status).toBe('sent');
    expect((await openFormLink(world, link)).status).toBe(200);
    expect((await call(world, 'GET', `/api/v1/forms/${formId}`, token)).body.status).toBe('opened');
  });

  it('learns no brand, form or field, and is asked not to index, cache or pass the link on', async () => {
    const { link } = await sentForm();
    const page = await fetch(`${world.system.url}${link}`, { headers: previewerHeaders });
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none';.*form-action 'self'/);
    const html = await page.text();
    expect(html).toContain('<title>Secure form</title>');
    expect(html).toContain('<meta name="robots" content="noindex, nofollow">');
    for (const secret of ['Acme', 'Pay by card', 'Card number', 'cardNumber', 'og:']) expect(html, secret).not.toContain(secret);
    expect(html).not.toMatch(/<script/i);
  });

  it('offers a real form whose button POSTs the open key, and that key opens the form once only', async () => {
    const { link } = await sentForm();
    const html = await (await fetch(`${world.system.url}${link}`)).text();
    expect(html).toMatch(/<form method="post" action="\/forms\/link\/open">\s*<input type="hidden" name="key" value="[A-Za-z0-9_-]{43}">\s*<button type="submit">Open the secure form<\/button>\s*<\/form>/);
    expect(hiddenKey(html)).toBe(link.slice('/forms/'.length));
    const open = () => fetch(`${world.system.url}/forms/link/open`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `key=${hiddenKey(html)}` });
    expect((await open()).status).toBe(200);
    const again = await open();
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('This link can no longer be used');
    expect((await fetch(`${world.system.url}${link}`)).status, 'the link itself, once spent').toBe(410);
  });

  it('an unknown key answers the same 410 page on GET and on Open', async () => {
    const unknown = 'A'.repeat(43);
    expect((await fetch(`${world.system.url}/forms/${unknown}`)).status).toBe(410);
    const open = await fetch(`${world.system.url}/forms/link/open`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `key=${unknown}` });
    expect(open.status).toBe(410);
  });
});
