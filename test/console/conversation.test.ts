import { randomBytes } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { attachmentUrlContext, messageTextContext, newMessage } from '../../db/repositories/field-contexts.js';
import type { MessageDocument, MessageStatus } from '../../db/repositories/messages.js';
import { BRAND_NUMBER, call, inboundSms, postTwilioWebhook, transcript } from '../support/connectors.js';
import {
  addConsoleUser, consoleContext, cspViolations, expectAccessible, screenshot, signInThroughConsole, startConsoleWorld, type ConsoleUser,
} from '../support/console.js';
import { waitFor } from '../support/wait-for.js';

const world = await startConsoleWorld();
afterAll(() => world.stop());

const wait = { timeout: 20_000 };
let numbers = 0;
/** A consumer number whose last four digits no other consumer of this file has. */
const newConsumer = () => `+1628556${String(++numbers).padStart(4, '0')}`;
const sentTo = (consumer: string) => world.twilio.sent.filter((message) => message.to === consumer);

/** An agent who takes conversations by hand only (away: the router gives them nothing by itself). */
async function newAgent(skills = ['sales']): Promise<ConsoleUser> {
  const user = await addConsoleUser(world, { skills });
  const away = await call(world, 'PUT', '/api/v1/me/availability', user.token, { availability: 'away' });
  expect(away.status).toBe(200);
  return user;
}

/** A new consumer's SMS conversation, accepted by `agent`. */
async function acceptedConversation(agent: ConsoleUser, body = 'Hello, I need help with my order') {
  const consumer = newConsumer();
  expect((await inboundSms(world, { from: consumer, body })).status).toBe(200);
  const conversationId = await waitFor(async () => {
    const queue = (await call(world, 'GET', '/api/v1/conversations?view=queue&limit=100', agent.token)).body.items as { id: string; consumer: { display: string } }[];
    const found = queue.find((conversation) => conversation.consumer.display.endsWith(consumer.slice(-4)));
    if (!found) return '';
    return (await call(world, 'POST', `/api/v1/conversations/${found.id}/accept`, agent.token)).status === 200 ? found.id : '';
  }, (id) => id !== '');
  return { conversationId, consumer };
}

async function openConversation(page: Page, conversationId: string) {
  await page.goto(`${world.consoleUrl}conversations/${encodeURIComponent(conversationId)}`);
  await page.getByRole('heading', { name: /conversation with/ }).waitFor(wait);
  await page.locator('[data-connection="live"]').waitFor(wait);
  await page.locator('.transcript-list > li').first().waitFor(wait);
}

const replyBox = (page: Page) => page.getByRole('textbox', { name: 'Reply to the consumer' });
const messageRow = (page: Page, text: string) => page.locator('.transcript-list > li', { hasText: text });
const deliveryOf = (row: Locator, status: string) => row.locator(`.delivery-state[data-status="${status}"]`);

/** Twilio's status callback for what the stand-in accepted, signed as Twilio signs it. */
async function twilioReports(consumer: string, text: string, status: 'sent' | 'delivered' | 'undelivered') {
  const sent = sentTo(consumer).find((message) => message.body === text)!;
  const callback = new URL(sent.statusCallback!);
  const answer = await postTwilioWebhook(world, `${callback.pathname}${callback.search}`, {
    MessageSid: sent.sid, AccountSid: world.accountSid, MessageStatus: status, From: BRAND_NUMBER, To: consumer,
  });
  expect(answer.status).toBe(204);
}

const ranks: Record<MessageStatus, number> = {
  received: 0, pending: 1, retrying: 2, queued: 3, sent: 4, delivered: 5, read: 6, undelivered: 7, failed: 7, canceled: 7,
};

/**
 * Messages written straight into the transcript (what they are is under test here, not how they came),
 * one second apart from `from` on, each `shape(i)`.
 */
type StoredShape = Partial<Omit<MessageDocument, 'text' | 'attachments'>> & { text: string; media?: { url: string; contentType: string }[] };

async function storeMessages(conversationId: string, count: number, from: Date, shape: (i: number) => StoredShape) {
  const { fields, database } = world.system.services;
  const docs: MessageDocument[] = Array.from({ length: count }, (_, i) => {
    const identity = newMessage(`msg_${randomBytes(10).toString('hex')}`, { brandId: world.brandId, conversationId });
    const createdAt = new Date(from.getTime() + i * 1_000);
    const { text, media = [], ...rest } = shape(i);
    const attachments = media.map((item, index) => ({ type: 'image', contentType: item.contentType, url: fields.seal(item.url, attachmentUrlContext(identity, index)) }));
    const status = rest.status ?? 'received';
    return {
      ...identity, direction: 'inbound', channel: 'sms', kind: 'text', attachments, status, statusRank: ranks[status],
      statusHistory: [{ status, at: createdAt }], createdAt, ...rest, text: fields.seal(text, messageTextContext(identity)),
    };
  });
  await database.db.collection<MessageDocument>('messages').insertMany(docs);
  return docs;
}

describe('the conversation view', () => {
  it('an agent replies from the console and the SMS stand-in receives it exactly once', async () => {
    const agent = await newAgent();
    const { conversationId, consumer } = await acceptedConversation(agent);
    const { context, problems } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, agent);
    await openConversation(page, conversationId);
    await messageRow(page, 'I need help with my order').waitFor(wait);

    const text = `Your order ships today ${randomBytes(3).toString('hex')}`;
    await replyBox(page).fill(text);
    // An impatient double press: one reply.
    await page.getByRole('button', { name: 'Send', exact: true }).dblclick();
    const row = messageRow(page, text);
    await row.waitFor(wait);
    await expect.poll(() => sentTo(consumer).length, wait).toBe(1);
    await twilioReports(consumer, text, 'sent');
    await deliveryOf(row, 'sent').waitFor(wait);
    await twilioReports(consumer, text, 'delivered');
    await deliveryOf(row, 'delivered').waitFor(wait);

    expect(sentTo(consumer).map((message) => message.body)).toEqual([text]);
    expect(await replyBox(page).inputValue()).toBe('');
    expect(await row.locator('.message-author').textContent()).toBe('You');
    expect(problems).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
    await context.close();
  });

  it('a new consumer message appears live and is announced politely', async () => {
    const agent = await newAgent();
    const { conversationId, consumer } = await acceptedConversation(agent);
    const { context } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, agent);
    await openConversation(page, conversationId);
    await inboundSms(world, { from: consumer, body: 'Are you still there?' });
    await messageRow(page, 'Are you still there?').waitFor(wait);
    const announcer = page.locator('div.visually-hidden[aria-live="polite"]');
    await announcer.filter({ hasText: 'New message from the consumer: Are you still there?' }).waitFor({ state: 'attached', ...wait });
    expect(await page.locator('.transcript-list > li').count()).toBe(2);
    await context.close();
  });

  it('a draft stays with its conversation and is never sent to another', async () => {
    const agent = await newAgent();
    const a = await acceptedConversation(agent, 'This is conversation A');
    const b = await acceptedConversation(agent, 'This is conversation B');
    const { context } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, agent);
    const go = async (conversationId: string, says: string) => {
      // Within the console (a reload would start a new page, with no drafts at all).
      await page.locator(`a[href$="/conversations/${conversationId}"]`).first().click();
      await messageRow(page, says).waitFor(wait);
    };
    await openConversation(page, a.conversationId);

    await replyBox(page).fill('Draft meant for A only');
    await go(b.conversationId, 'This is conversation B');
    expect(await replyBox(page).inputValue()).toBe('');
    await go(a.conversationId, 'This is conversation A');
    expect(await replyBox(page).inputValue()).toBe('Draft meant for A only');

    await go(b.conversationId, 'This is conversation B');
    await replyBox(page).fill('Reply for B');
    await replyBox(page).press('Control+Enter');
    await messageRow(page, 'Reply for B').waitFor(wait);
    await expect.poll(() => sentTo(b.consumer).map((message) => message.body), wait).toEqual(['Reply for B']);
    expect(sentTo(a.consumer)).toEqual([]);

    await go(a.conversationId, 'This is conversation A');
    expect(await replyBox(page).inputValue()).toBe('Draft meant for A only');
    expect((await transcript(world, a.conversationId)).map((message) => message.text)).toEqual(['This is conversation A']);
    const stored = await page.evaluate(() => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const { localStorage, sessionStorage } = globalThis as any;
      return JSON.stringify([{ ...localStorage }, { ...sessionStorage }]);
    });
    expect(stored).not.toContain('Draft meant');
    await context.close();
  });

  it('signing out forgets every draft: whoever signs in next on this page finds none', async () => {
    const agent = await newAgent();
    const { conversationId } = await acceptedConversation(agent, 'A draft will be left here');
    const { context } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, agent);
    await page.locator(`a[href$="/conversations/${conversationId}"]`).first().click();
    await messageRow(page, 'A draft will be left here').waitFor(wait);
    await replyBox(page).fill('Half-typed personal details');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email').fill(agent.email);
    await page.getByLabel('Password', { exact: true }).fill(agent.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator(`a[href$="/conversations/${conversationId}"]`).first().click();
    await messageRow(page, 'A draft will be left here').waitFor(wait);
    expect(await replyBox(page).inputValue()).toBe('');
    await context.close();
  });

  it('a 2,000-message transcript opens at its newest messages and loads older pages on demand', async () => {
    const agent = await newAgent();
    const { conversationId } = await acceptedConversation(agent, 'The latest question');
    await storeMessages(conversationId, 2_000, new Date(Date.now() - 3 * 86_400_000), (i) => ({ text: `Line ${i} of the history` }));
    const { context, problems } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, agent);
    await openConversation(page, conversationId);
    const rows = page.locator('.transcript-list > li');

    await messageRow(page, 'The latest question').waitFor(wait);
    await messageRow(page, 'Line 1999 of the history').waitFor(wait);
    expect(await rows.count()).toBe(50);
    expect(await messageRow(page, 'Line 1950 of the history').count()).toBe(0);

    const scroller = page.locator('.transcript-scroll');
    await scroller.evaluate((element) => element.scrollTo({ top: 0 }));
    const firstId = await rows.first().getAttribute('data-message-id');
    const offset = async () => (await page.locator(`[data-message-id="${firstId}"]`).boundingBox())!.y - (await scroller.boundingBox())!.y;
    const before = await offset();
    await page.getByRole('button', { name: 'Load older messages' }).click();
    await messageRow(page, 'Line 1950 of the history').waitFor(wait);
    expect(await rows.count()).toBe(100);
    // What the agent was reading stays where it was; the older page went in above it.
    expect(Math.abs((await offset()) - before)).toBeLessThanOrEqual(2);
    expect(await scroller.evaluate((element) => element.scrollTop)).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Load older messages' }).click();
    await messageRow(page, 'Line 1900 of the history').waitFor(wait);
    expect(await rows.count()).toBe(150);
    expect(await messageRow(page, 'Line 0 of the history').count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a failed reply shows its reason and can be retried', async () => {
    const agent = await newAgent();
    const { conversationId, consumer } = await acceptedConversation(agent);
    const { context } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, agent);
    await openConversation(page, conversationId);

    world.twilio.failNext({ status: 400, code: 21211, message: 'Invalid To number' });
    await replyBox(page).fill('This one fails first');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const row = messageRow(page, 'This one fails first');
    await deliveryOf(row, 'failed').waitFor(wait);
    expect(await row.locator('.delivery-state').textContent()).toContain("The recipient's number is not a valid phone number");
    expect(sentTo(consumer)).toEqual([]);

    await row.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => sentTo(consumer).map((message) => message.body), wait).toEqual(['This one fails first']);
    await twilioReports(consumer, 'This one fails first', 'sent');
    await deliveryOf(row, 'sent').waitFor(wait);
    expect(await row.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    expect(sentTo(consumer)).toHaveLength(1);
    await context.close();
  });

  it('transfer with a note, close and reopen work from the keyboard alone', async () => {
    const agent = await newAgent(['sales', 'support']);
    const { conversationId } = await acceptedConversation(agent);
    const { context } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, agent);
    await openConversation(page, conversationId);
    const status = page.locator('.conversation-status');

    await page.keyboard.press('Alt+KeyT');
    const dialog = page.getByRole('dialog', { name: 'Transfer the conversation' });
    await dialog.waitFor(wait);
    await page.keyboard.press('ArrowDown'); // from "An agent" to "A queue"
    await expect.poll(() => dialog.getByRole('combobox', { name: 'Queue' }).inputValue(), wait).toBe('support');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Billing question: support knows the refund rules');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden', ...wait });
    await page.locator('.conversation-facts', { hasText: 'support' }).waitFor(wait);
    await status.filter({ hasText: 'Waiting in queue' }).waitFor(wait);
    await messageRow(page, 'Billing question: support knows the refund rules').waitFor(wait);

    await page.keyboard.press('Alt+KeyA');
    await status.filter({ hasText: /^Open/ }).waitFor(wait);
    await page.keyboard.press('Alt+KeyC');
    await page.getByRole('alertdialog', { name: 'Close the conversation?' }).waitFor(wait);
    await page.keyboard.press('Enter');
    await status.filter({ hasText: 'Closed' }).waitFor(wait);
    await page.locator('#conversation-heading:focus').waitFor(wait);

    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent()).toBe('Reopen');
    await page.keyboard.press('Enter');
    await status.filter({ hasText: /^Open/ }).waitFor(wait);
    const view = (await call(world, 'GET', `/api/v1/conversations/${conversationId}`, agent.token)).body;
    expect(view).toMatchObject({ status: 'open', agentId: agent.id, queueId: 'support' });
    await context.close();
  });

  describe('a blocked reply says why', () => {
    it('before the agent types, when the conversation is closed', async () => {
      const agent = await newAgent();
      const { conversationId } = await acceptedConversation(agent);
      expect((await call(world, 'POST', `/api/v1/conversations/${conversationId}/close`, agent.token, {})).status).toBe(200);
      const { context } = await consoleContext(world);
      const page = await signInThroughConsole(world, context, agent);
      await openConversation(page, conversationId);
      await page.locator('.composer .notice', { hasText: 'This conversation is closed' }).waitFor(wait);
      expect(await page.getByRole('button', { name: 'Send', exact: true }).getAttribute('aria-disabled')).toBe('true');
      expect(await replyBox(page).getAttribute('aria-describedby')).toContain('reply-block');
      await context.close();
    });

    it('when the consumer opted out by texting STOP, before the agent types, and nothing can be sent', async () => {
      const agent = await newAgent();
      const { conversationId, consumer } = await acceptedConversation(agent);
      await inboundSms(world, { from: consumer, body: 'STOP' });
      await waitFor(async () => (await call(world, 'GET', `/api/v1/conversations/${conversationId}`, agent.token)).body, (conversation) => conversation.optedOut === true);
      const { context } = await consoleContext(world);
      const page = await signInThroughConsole(world, context, agent);
      await openConversation(page, conversationId);
      await page.locator('.composer .notice', { hasText: 'texted STOP' }).waitFor(wait);
      await replyBox(page).fill('Are you still there?');
      expect(await page.getByRole('button', { name: 'Send', exact: true }).getAttribute('aria-disabled')).toBe('true');
      expect(sentTo(consumer)).toEqual([]);
      await context.close();
    });

    it('when the text holds a card number, with a hint to send a secure form', async () => {
      const agent = await newAgent();
      const { conversationId, consumer } = await acceptedConversation(agent);
      const { context } = await consoleContext(world);
      const page = await signInThroughConsole(world, context, agent);
      await openConversation(page, conversationId);
      await replyBox(page).fill('Is your card 4111 1111 1111 1111?');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await page.locator('.composer [role="alert"]').waitFor(wait);
      await page.locator('.composer', { hasText: 'secure form instead' }).waitFor(wait);
      expect(sentTo(consumer)).toEqual([]);
      await context.close();
    });
  });

  it('has no accessibility violations with every delivery state and the transfer dialog open, at 1280 and 320 px', async () => {
    const agent = await newAgent();
    const { conversationId } = await acceptedConversation(agent, 'Can you check my delivery?');
    const failure = { code: 'twilio_30003', reason: 'The handset is unreachable' };
    const states: StoredShape[] = [
      { text: 'A note for colleagues', direction: 'internal', kind: 'note', status: 'received' },
      { text: 'Here is a photo', media: [{ url: 'https://media.example.com/photo-1.jpg', contentType: 'image/jpeg' }] },
      ...(['pending', 'queued', 'sent', 'delivered', 'read', 'canceled'] as const).map((status) => ({ text: `Reply that is ${status}`, direction: 'outbound' as const, status })),
      { text: 'Reply that is retrying', direction: 'outbound', status: 'retrying', retry: { attempts: 2, nextAttemptAt: new Date(Date.now() + 60_000) }, failure },
      { text: 'Reply that is failed', direction: 'outbound', status: 'failed', failure },
      { text: 'Reply that is undelivered', direction: 'outbound', status: 'undelivered', failure },
    ];
    await storeMessages(conversationId, states.length, new Date(Date.now() - 3_600_000), (i) => ({ agentId: agent.id, ...states[i]! }));

    for (const width of [1280, 320]) {
      const { context, problems } = await consoleContext(world, { bypassCSP: true, viewport: { width, height: 900 } });
      const page = await signInThroughConsole(world, context, agent);
      await openConversation(page, conversationId);
      await messageRow(page, 'Reply that is undelivered').waitFor(wait);
      for (const status of ['pending', 'retrying', 'queued', 'sent', 'delivered', 'read', 'failed', 'undelivered', 'canceled']) {
        await deliveryOf(messageRow(page, `Reply that is ${status}`), status).waitFor(wait);
      }
      expect(await messageRow(page, 'Reply that is retrying').textContent()).toMatch(/2 attempts so far; next attempt at/);
      expect(await page.locator('.attachments a').first().getAttribute('rel')).toBe('noopener noreferrer');
      await expectAccessible(page);
      expect(await page.locator('html').evaluate((element) => element.scrollWidth)).toBeLessThanOrEqual(width);
      await screenshot(page, width === 1280 ? 'conversation' : 'conversation-320');

      await page.keyboard.press('Alt+KeyT');
      const dialog = page.getByRole('dialog', { name: 'Transfer the conversation' });
      await dialog.getByRole('combobox', { name: 'Agent' }).waitFor(wait);
      await expect.poll(() => dialog.getByRole('status').count(), wait).toBe(0);
      await expectAccessible(page);
      if (width === 1280) await screenshot(page, 'conversation-transfer');
      expect(problems).toEqual([]);
      await context.close();
    }
  });
});
