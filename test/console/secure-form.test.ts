/**
 * The secure forms panel in real Chromium: the agent sends a form from the console, the visitor fills it in a
 * second page, the agent sees it arrive live, reveals it, and sees the off-the-record CVV vanish on time.
 */
import { randomBytes } from 'node:crypto';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, inboundSms } from '../support/connectors.js';
import {
  addConsoleUser, consoleContext, cspViolations, expectAccessible, screenshot, signInThroughConsole, startConsoleWorld,
  type ConsoleUser, type ConsoleWorld,
} from '../support/console.js';
import { linkSentTo } from '../support/secure-forms.js';
import { waitFor } from '../support/wait-for.js';

// Long enough to reveal (and run axe) after the submission, short enough to watch the answers go.
const offRecordSeconds = 20;
const wait = { timeout: 20_000 };
const untilOffRecordGone = { timeout: (offRecordSeconds + 20) * 1000 };

let world: ConsoleWorld;
beforeAll(async () => {
  world = await startConsoleWorld({ env: { OFF_RECORD_TTL_SECONDS: String(offRecordSeconds) } });
}, 120_000);
afterAll(() => world?.stop());

/** A new SMS conversation, accepted through the API by the console user (kept away so the router leaves it in the queue). */
async function acceptedSmsConversation(user: ConsoleUser): Promise<{ conversationId: string; consumer: string }> {
  expect((await call(world, 'PUT', '/api/v1/me/availability', user.token, { availability: 'away' })).status).toBe(200);
  const consumer = `+1415557${String(randomBytes(2).readUInt16BE() % 10_000).padStart(4, '0')}`;
  await inboundSms(world, { from: consumer, body: 'I would like to pay my bill' });
  const conversationId = await waitFor(
    async () => {
      const queue = (await call(world, 'GET', '/api/v1/conversations?view=queue', user.token)).body.items as { id: string; consumer: { display: string } }[];
      const found = queue.find((candidate) => candidate.consumer.display.endsWith(consumer.slice(-4)));
      return found && (await call(world, 'POST', `/api/v1/conversations/${found.id}/accept`, user.token)).status === 200 ? found.id : undefined;
    },
    (id) => id !== undefined,
  );
  return { conversationId: conversationId!, consumer };
}

interface AgentDesk {
  page: Page;
  context: BrowserContext;
  problems: string[];
  /** Everything the page wrote to its console. */
  consoleMessages: string[];
  panel: Locator;
  consumer: string;
}

/** The console user's page on their accepted conversation, with its secure forms panel shown. */
async function agentDesk(options: { bypassCSP?: boolean } = {}): Promise<AgentDesk> {
  const user = await addConsoleUser(world, { skills: ['sales'] });
  const { conversationId, consumer } = await acceptedSmsConversation(user);
  const { context, problems } = await consoleContext(world, { bypassCSP: options.bypassCSP ?? false });
  context.setDefaultTimeout(wait.timeout);
  const page = await signInThroughConsole(world, context, user);
  const consoleMessages: string[] = [];
  page.on('console', (message) => consoleMessages.push(`${message.type()}: ${message.text()}`));
  await page.goto(`${world.consoleUrl}conversations/${conversationId}`);
  const panel = page.getByRole('region', { name: 'Secure forms' });
  await panel.getByRole('button', { name: /Send a secure form/ }).waitFor(wait);
  return { page, context, problems, consoleMessages, panel, consumer };
}

/** Alt+F, choose "Pay by card", send: the form shows at the top of the panel's list. */
async function sendCardForm(desk: AgentDesk): Promise<Locator> {
  await desk.page.keyboard.press('Alt+KeyF');
  const dialog = desk.page.getByRole('dialog', { name: 'Send a secure form' });
  await dialog.getByLabel('Pay by card').check(wait);
  await dialog.getByRole('button', { name: 'Send the form' }).click();
  await dialog.waitFor({ state: 'hidden', ...wait });
  return desk.panel.getByRole('article', { name: 'Pay by card' }).first();
}

interface Card { nameOnCard: string; cardNumber: string; expiry: string; cvv: string }

/** The consumer opens the link they got by SMS in a page of their own, fills the card form and sends it. */
async function visitorSubmits(consumer: string, card: Card): Promise<void> {
  const link = await linkSentTo(world, consumer);
  const context = await world.browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${world.system.url}${link}`);
    await page.getByRole('button', { name: 'Open the secure form' }).click();
    for (const [name, value] of Object.entries(card)) await page.fill(`[name=${name}]`, value);
    await page.getByRole('button', { name: 'Send securely' }).click();
    await page.getByRole('heading', { name: 'Thank you' }).waitFor(wait);
  } finally {
    await context.close();
  }
}

const status = (form: Locator) => form.locator('.form-status');
const revealedValue = (form: Locator, label: string) =>
  form.getByRole('region', { name: /^Values of/ }).locator('dl > div', { has: form.page().locator('dt', { hasText: label }) }).locator('dd');

const canary = () => `CANARY ${randomBytes(4).toString('hex').toUpperCase()}`;

describe('the secure forms panel', () => {
  it('a secure form is sent from the console, filled in a second page, revealed once, and the CVV disappears on time', async () => {
    const desk = await agentDesk();
    const form = await sendCardForm(desk);
    await expect.poll(() => status(form).textContent(), wait).toMatch(/Sent/);

    await visitorSubmits(desk.consumer, { nameOnCard: 'Ada Lovelace', cardNumber: '4111111111111111', expiry: '12/39', cvv: '123' });
    await expect.poll(() => status(form).textContent(), wait).toMatch(/Submitted/);
    await form.getByRole('timer').waitFor(wait);

    await form.getByRole('button', { name: 'Reveal the values' }).click();
    await expect.poll(() => revealedValue(form, 'Card number').textContent(), wait).toBe('4111111111111111');
    expect(await revealedValue(form, 'Security code').textContent()).toBe('123');
    expect(await form.getByText(/Every reveal is recorded in the audit log/).count()).toBe(1);
    await screenshot(desk.page, 'secure-form-revealed');

    await expect.poll(() => form.getByText('Ask the visitor to resend.').count(), untilOffRecordGone).toBe(1);
    expect(await revealedValue(form, 'Security code').textContent()).toMatch(/Erased/);
    expect(await form.getByRole('region', { name: /^Values of/ }).textContent()).not.toContain('123');
    expect(await revealedValue(form, 'Card number').textContent()).toBe('4111111111111111');
    expect(await form.getByRole('timer').count()).toBe(0);
    expect(await form.getByRole('status').textContent()).toMatch(/are gone: ask the visitor to resend/);
    expect(await form.getByRole('button', { name: /Reveal/ }).count()).toBe(0);
    await screenshot(desk.page, 'secure-form-resend');

    await form.getByRole('button', { name: 'Send “Pay by card” again' }).click();
    await expect.poll(() => desk.panel.getByRole('article', { name: 'Pay by card' }).count(), wait).toBe(2);
    expect(await status(desk.panel.getByRole('article').first()).textContent()).toMatch(/Sent/);
    expect(desk.problems).toEqual([]);
    expect(await cspViolations(desk.page)).toEqual([]);
    await desk.context.close();
  }, 120_000);

  it('hiding the values takes them off the page, and no value ever reaches storage or the console messages', async () => {
    const desk = await agentDesk();
    const form = await sendCardForm(desk);
    const card = { nameOnCard: canary(), cardNumber: '5555555555554444', expiry: '11/38', cvv: '9876' };
    await visitorSubmits(desk.consumer, card);
    await expect.poll(() => status(form).textContent(), wait).toMatch(/Submitted/);
    await form.getByRole('button', { name: 'Reveal the values' }).click();
    await expect.poll(() => revealedValue(form, 'Security code').textContent(), wait).toBe(card.cvv);

    await form.getByRole('button', { name: 'Hide the values' }).click();
    await expect.poll(() => form.getByRole('region', { name: /^Values of/ }).count(), wait).toBe(0);
    const html = await desk.page.content();
    for (const value of [card.nameOnCard, card.cardNumber, card.cvv]) expect(html).not.toContain(value);
    await expect.poll(() => desk.page.evaluate<string>('document.activeElement?.textContent ?? ""'), wait).toBe('Reveal again');

    const stored = await desk.page.evaluate<string>('JSON.stringify({ ...localStorage, ...sessionStorage })');
    const logged = desk.consoleMessages.join('\n');
    for (const value of [card.nameOnCard, card.cardNumber, card.cvv]) {
      expect(stored).not.toContain(value);
      expect(logged).not.toContain(value);
    }
    await desk.context.close();
  });

  it('has zero axe violations when sent, submitted, revealed and once the off-the-record answers are gone', async () => {
    const desk = await agentDesk({ bypassCSP: true });
    const form = await sendCardForm(desk);
    await expect.poll(() => status(form).textContent(), wait).toMatch(/Sent/);
    await expectAccessible(desk.page);

    await visitorSubmits(desk.consumer, { nameOnCard: 'Grace Hopper', cardNumber: '4111111111111111', expiry: '10/37', cvv: '456' });
    await expect.poll(() => status(form).textContent(), wait).toMatch(/Submitted/);
    await expectAccessible(desk.page);

    await form.getByRole('button', { name: 'Reveal the values' }).click();
    await form.getByRole('region', { name: /^Values of/ }).waitFor(wait);
    await expectAccessible(desk.page);

    await expect.poll(() => form.getByText('Ask the visitor to resend.').count(), untilOffRecordGone).toBe(1);
    await expectAccessible(desk.page);
    await desk.context.close();
  }, 120_000);

  it('opens the template chooser with Alt+F, listing the built-in templates, and Escape closes it', async () => {
    const desk = await agentDesk();
    await desk.page.keyboard.press('Alt+KeyF');
    const dialog = desk.page.getByRole('dialog', { name: 'Send a secure form' });
    await dialog.getByLabel('Pay by card').waitFor(wait);
    expect(await dialog.getByLabel('Confirm your identity').count()).toBe(1);
    await desk.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', ...wait });
    await desk.context.close();
  });

  it('fits a 320 px wide screen without scrolling sideways', async () => {
    const user = await addConsoleUser(world, { skills: ['sales'] });
    const { conversationId, consumer } = await acceptedSmsConversation(user);
    const { context } = await consoleContext(world, { viewport: { width: 320, height: 640 } });
    const page = await signInThroughConsole(world, context, user);
    await page.goto(`${world.consoleUrl}conversations/${conversationId}`);
    const panel = page.getByRole('region', { name: 'Secure forms' });
    await panel.getByRole('button', { name: /Send a secure form/ }).click(wait);
    const dialog = page.getByRole('dialog', { name: 'Send a secure form' });
    await dialog.getByLabel('Pay by card').check(wait);
    await dialog.getByRole('button', { name: 'Send the form' }).click();
    await panel.getByRole('article', { name: 'Pay by card' }).waitFor(wait);
    expect(await linkSentTo(world, consumer)).toMatch(/^\/forms\//);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
    await context.close();
  });
});
