import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { call, inboundSms, openSmsConversation } from '../support/connectors.js';
import {
  addConsoleUser, consoleContext, cspViolations, expectAccessible, screenshot, signInThroughConsole, startConsoleWorld, type ConsoleUser,
} from '../support/console.js';
import { waitFor } from '../support/wait-for.js';

const world = await startConsoleWorld();
afterAll(() => world.stop());

const wait = { timeout: 20_000 };
let numbers = 0;
/** A consumer number whose last four digits no other consumer of this file has (the lists show only those). */
const newConsumer = () => `+1628555${String(++numbers).padStart(4, '0')}`;

const tab = (page: Page, name: 'Mine' | 'Queue') => page.getByRole('tab', { name: new RegExp(`^${name}`) });
/** The row of a consumer's conversation in the list shown. */
const row = (page: Page, from: string) => page.getByRole('tabpanel').getByRole('link', { name: new RegExp(`•••${from.slice(-4)}`) });

/** Signed in, the stream live and the lists read: what happens next can only arrive live. */
async function openWorkspace(page: Page, list: 'Mine' | 'Queue' = 'Queue') {
  await page.locator('[data-connection="live"]').waitFor(wait);
  await tab(page, list).click();
  await tab(page, list).filter({ hasText: /\(\d+\+?\)/ }).waitFor(wait);
}

async function queueOf(user: ConsoleUser): Promise<string[]> {
  const page = await call(world, 'GET', '/api/v1/conversations?view=queue&limit=100', user.token);
  return (page.body.items as { id: string }[]).map((item) => item.id);
}

/** A conversation from a new consumer, waiting (acceptable) in the user's queue. */
async function waitingConversation(user: ConsoleUser, from = newConsumer()) {
  const id = await openSmsConversation(world, from);
  await waitFor(() => queueOf(user), (ids) => ids.includes(id));
  return { id, from };
}

/** Away: keeps the router from assigning to the agent, who may still accept by hand. */
async function goAway(user: ConsoleUser) {
  expect((await call(world, 'PUT', '/api/v1/me/availability', user.token, { availability: 'away' })).status).toBe(200);
}

async function accept(user: ConsoleUser, conversationId: string) {
  const response = await call(world, 'POST', `/api/v1/conversations/${conversationId}/accept`, user.token);
  expect(response.body).toEqual({ agentId: user.id });
}

async function messageCount(conversationId: string): Promise<number> {
  return (await call(world, 'GET', `/api/v1/conversations/${conversationId}`, world.apiToken)).body.messageCount as number;
}

/** Spies on the browser's APIs (not on our code): every desktop notification shown, every tone started. */
async function spyOnAlerts(context: BrowserContext) {
  await context.grantPermissions(['notifications'], { origin: new URL(world.consoleUrl).origin });
  await context.addInitScript(() => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const browser = globalThis as any;
    browser.__notifications = [] as string[];
    browser.__tones = 0;
    browser.Notification = new Proxy(browser.Notification, {
      construct(target, args: [string, unknown?]) {
        browser.__notifications.push(args[0]);
        return Reflect.construct(target, args);
      },
    });
    const createOscillator = browser.AudioContext.prototype.createOscillator;
    browser.AudioContext.prototype.createOscillator = function (this: unknown) {
      browser.__tones += 1;
      return createOscillator.call(this);
    };
  });
}

const alerts = (page: Page) => page.evaluate(() => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const browser = globalThis as any;
  return { notifications: browser.__notifications as string[], tones: browser.__tones as number };
});

describe('the agent workspace', () => {
  it('a signed SMS arrives and appears live in the agent\'s queue', async () => {
    const user = await addConsoleUser(world, { skills: ['sales'] });
    const { context, problems } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, user);
    await openWorkspace(page);
    const from = newConsumer();
    expect((await inboundSms(world, { from, body: 'Has my order shipped?' })).status).toBe(200);
    await row(page, from).waitFor(wait);
    const text = await row(page, from).textContent();
    expect(text).toContain('SMS');
    expect(text).toContain('sales');
    expect(text).not.toContain(from);
    expect(await row(page, from).locator('time').getAttribute('title')).toMatch(/\d{4}/);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('accepting moves the conversation from the queue to mine', async () => {
    const user = await addConsoleUser(world, { skills: ['sales'] });
    await goAway(user);
    const { id, from } = await waitingConversation(user);
    const { context } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, user);
    await openWorkspace(page);
    await row(page, from).click();
    await page.waitForURL(`**/console/conversations/${id}`, wait);
    expect(await row(page, from).getAttribute('aria-current')).toBe('page');
    await page.getByRole('region', { name: 'Open conversation' }).getByRole('button', { name: 'Accept' }).click();
    await row(page, from).waitFor({ state: 'detached', ...wait });
    await tab(page, 'Mine').click();
    await row(page, from).waitFor(wait);
    expect(await row(page, from).getAttribute('aria-current')).toBe('page');
    await context.close();
  });

  it('end to end: a signed SMS appears live, the agent accepts and replies in the console, and the SMS stand-in receives the reply once', async () => {
    const user = await addConsoleUser(world, { skills: ['sales'] });
    await goAway(user);
    const { context, problems } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, user);
    await openWorkspace(page);
    const from = newConsumer();
    expect((await inboundSms(world, { from, body: 'Can I change my delivery address?' })).status).toBe(200);
    await row(page, from).click();
    const conversation = page.getByRole('region', { name: 'Open conversation' });
    await conversation.getByText('Can I change my delivery address?').waitFor(wait);
    await conversation.getByRole('button', { name: 'Accept' }).click();
    await conversation.getByRole('textbox', { name: 'Reply to the consumer' }).fill('Yes: tell me the new address here.');
    await conversation.getByRole('button', { name: 'Send', exact: true }).click();
    const received = () => world.twilio.sent.filter((message) => message.to === from).map((message) => message.body);
    await expect.poll(received, wait).toEqual(['Yes: tell me the new address here.']);
    await conversation.locator('.delivery-state[data-status="queued"], .delivery-state[data-status="sent"]').first().waitFor(wait);
    // Pressing Send again with the box now empty sends nothing more.
    await conversation.getByRole('button', { name: 'Send', exact: true }).click();
    await conversation.getByRole('alert').waitFor(wait);
    expect(received()).toEqual(['Yes: tell me the new address here.']);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('new work alerts with a sound and a desktop notification, each can be turned off', async () => {
    const user = await addConsoleUser(world, { skills: ['sales'] });
    const { context } = await consoleContext(world);
    await spyOnAlerts(context);
    const page = await signInThroughConsole(world, context, user);
    await openWorkspace(page);

    await inboundSms(world, { from: newConsumer(), body: 'hello' });
    await expect.poll(async () => (await alerts(page)).notifications, wait).toContain('New conversation waiting');
    expect((await alerts(page)).tones).toBeGreaterThan(0);

    await page.getByLabel('Sound').uncheck();
    const soundOn = await alerts(page);
    await inboundSms(world, { from: newConsumer(), body: 'hello' });
    await expect.poll(async () => (await alerts(page)).notifications.length, wait).toBe(soundOn.notifications.length + 1);
    expect((await alerts(page)).tones).toBe(soundOn.tones);

    await page.getByLabel('Sound').check();
    await page.getByLabel('Desktop alerts').uncheck();
    const desktopOff = await alerts(page);
    await inboundSms(world, { from: newConsumer(), body: 'hello' });
    await expect.poll(async () => (await alerts(page)).tones, wait).toBeGreaterThan(desktopOff.tones);
    expect((await alerts(page)).notifications).toEqual(desktopOff.notifications);
    await context.close();
  });

  it('new work alerts reach the user on any page of the console, not only the workspace', async () => {
    const manager = await addConsoleUser(world, { profile: 'manager', skills: ['sales'] });
    const { context } = await consoleContext(world);
    await spyOnAlerts(context);
    const page = await signInThroughConsole(world, context, manager);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Audit log', exact: true }).click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor(wait);
    await page.locator('[data-connection="live"]').waitFor(wait);
    await inboundSms(world, { from: newConsumer(), body: 'hello from the audit page' });
    await expect.poll(async () => (await alerts(page)).notifications, wait).toContain('New conversation waiting');
    await context.close();
  });

  it('unread count shows on a conversation that is not open and clears when opened', async () => {
    const user = await addConsoleUser(world, { skills: ['sales'] });
    const open = await waitingConversation(user);
    const other = await waitingConversation(user);
    const { context } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, user);
    await openWorkspace(page);
    await row(page, open.from).click();
    await page.waitForURL(`**/console/conversations/${open.id}`, wait);

    await inboundSms(world, { from: open.from, body: 'one more thing' });
    await expect.poll(() => messageCount(open.id), wait).toBe(2);
    await inboundSms(world, { from: other.from, body: 'anyone there?' });
    await row(page, other.from).filter({ hasText: '1 unread message' }).waitFor(wait);
    expect(await row(page, open.from).textContent()).not.toContain('unread');

    await row(page, other.from).click();
    await page.waitForURL(`**/console/conversations/${other.id}`, wait);
    await expect.poll(() => row(page, other.from).textContent(), wait).not.toContain('unread');
    await context.close();
  });

  it('Alt+N and Alt+P move through my conversations, then the queue', async () => {
    const user = await addConsoleUser(world, { skills: ['sales'] });
    await goAway(user);
    const mine = await waitingConversation(user);
    const waiting = await waitingConversation(user);
    await accept(user, mine.id);
    const { context } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, user);
    await openWorkspace(page, 'Mine');
    await row(page, mine.from).waitFor(wait);
    await page.keyboard.press('Alt+KeyN');
    await page.waitForURL(`**/console/conversations/${mine.id}`, wait);
    await page.keyboard.press('Alt+KeyN');
    await page.waitForURL(`**/console/conversations/${waiting.id}`, wait);
    await page.keyboard.press('Alt+KeyP');
    await page.waitForURL(`**/console/conversations/${mine.id}`, wait);
    await context.close();
  });

  it('the live view survives a dropped stream: after reconnecting the agent sees every message and assignment that happened meanwhile', { timeout: 120_000 }, async () => {
    const user = await addConsoleUser(world, { skills: ['sales'] });
    await goAway(user);
    const { context } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, user);
    await openWorkspace(page);
    // The stream has a position to resume from once an event reached it.
    const earlier = newConsumer();
    await inboundSms(world, { from: earlier, body: 'hello' });
    await row(page, earlier).waitFor(wait);

    await page.route('**/api/v1/events**', (route) => route.abort());
    world.system.api!.app.streams.closeAll();
    await page.locator('[data-connection="reconnecting"]').waitFor(wait);

    const assigned = await waitingConversation(user);
    await accept(user, assigned.id);
    await inboundSms(world, { from: assigned.from, body: 'still there?' });
    await expect.poll(() => messageCount(assigned.id), wait).toBe(2);
    const waiting = await waitingConversation(user);

    await page.unroute('**/api/v1/events**');
    await page.locator('[data-connection="live"]').waitFor({ timeout: 60_000 });
    await row(page, waiting.from).filter({ hasText: '1 unread message' }).waitFor(wait);
    expect(await row(page, assigned.from).count()).toBe(0);
    await tab(page, 'Mine').click();
    await row(page, assigned.from).filter({ hasText: '2 unread messages' }).waitFor(wait);
    await context.close();
  });

  it('a stream dropped mid-conversation, before any event reached it: the open transcript shows every message sent meanwhile', { timeout: 120_000 }, async () => {
    const user = await addConsoleUser(world, { skills: ['sales'] });
    await goAway(user);
    const { id, from } = await waitingConversation(user);
    await accept(user, id);
    const { context } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, user);
    await page.goto(`${world.consoleUrl}conversations/${id}`);
    const conversation = page.getByRole('region', { name: 'Open conversation' });
    await conversation.locator('.transcript-list > li').first().waitFor(wait);
    await page.locator('[data-connection="live"]').waitFor(wait);

    await page.route('**/api/v1/events**', (route) => route.abort());
    world.system.api!.app.streams.closeAll();
    await page.locator('[data-connection="reconnecting"]').waitFor(wait);
    for (const body of ['first while you were away', 'second while you were away']) await inboundSms(world, { from, body });
    await expect.poll(() => messageCount(id), wait).toBe(3);

    await page.unroute('**/api/v1/events**');
    await page.locator('[data-connection="live"]').waitFor({ timeout: 60_000 });
    await conversation.getByText('first while you were away').waitFor(wait);
    await conversation.getByText('second while you were away').waitFor(wait);
    await context.close();
  });

  it('the workspace has no axe violations (queue with items, conversation open) and works at 320 px', async () => {
    const user = await addConsoleUser(world, { skills: ['sales'] });
    const { id, from } = await waitingConversation(user);

    const desktop = await consoleContext(world, { bypassCSP: true });
    const page = await signInThroughConsole(world, desktop.context, user);
    await openWorkspace(page);
    await row(page, from).waitFor(wait);
    await expectAccessible(page);
    await row(page, from).click();
    await page.waitForURL(`**/console/conversations/${id}`, wait);
    await expectAccessible(page);
    await screenshot(page, 'agent-workspace');
    await desktop.context.close();

    const phone = await consoleContext(world, { bypassCSP: true, viewport: { width: 320, height: 720 } });
    const small = await signInThroughConsole(world, phone.context, user);
    const overflows = () => small.evaluate(() => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const { documentElement } = (globalThis as any).document;
      return documentElement.scrollWidth > documentElement.clientWidth;
    });
    await openWorkspace(small);
    await row(small, from).waitFor(wait);
    expect(await overflows()).toBe(false);
    await expectAccessible(small);
    await row(small, from).click();
    await small.getByRole('link', { name: 'Back to conversations' }).waitFor(wait);
    expect(await small.getByRole('tablist').isVisible()).toBe(false);
    expect(await overflows()).toBe(false);
    await expectAccessible(small);
    await screenshot(small, 'agent-workspace-320');
    await small.getByRole('link', { name: 'Back to conversations' }).click();
    await row(small, from).waitFor(wait);
    await phone.context.close();
  });

  it('the workspace runs under the strict CSP without violations or page errors', async () => {
    const user = await addConsoleUser(world, { skills: ['sales'] });
    const { from } = await waitingConversation(user);
    const { context, problems } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, user);
    await openWorkspace(page);
    await row(page, from).click();
    await page.getByRole('region', { name: 'Open conversation' }).getByRole('heading').first().waitFor(wait);
    expect(await cspViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
