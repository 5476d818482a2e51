import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { temporaryPassword } from '../support/accounts.js';
import { call, inboundSms, messengerBatch, messengerText, postFacebookWebhook } from '../support/connectors.js';
import {
  addConsoleUser, consoleContext, cspViolations, expectAccessible, screenshot, signInThroughConsole, startConsoleWorld, type ConsoleUser,
} from '../support/console.js';
import { testAdminToken } from '../support/settings.js';
import { waitFor } from '../support/wait-for.js';

const world = await startConsoleWorld();
afterAll(() => world.stop());

const wait = { timeout: 20_000 };
const narrow = { width: 320, height: 720 };

const randomPhone = () => `+1415555${String(Math.floor(1000 + Math.random() * 8999))}`;

async function waitingIn(queueId: string, token: string): Promise<number> {
  const realtime = await call(world, 'GET', '/api/v1/reports/realtime', token);
  return (realtime.body.queues as { queueId: string; waiting: number }[]).find((queue) => queue.queueId === queueId)?.waiting ?? 0;
}

async function messengerMessagesToday(manager: ConsoleUser): Promise<number> {
  const today = new Date().toISOString().slice(0, 10);
  const query = new URLSearchParams({ from: `${today}T00:00:00Z`, to: `${addDays(today, 1)}T00:00:00Z`, groupBy: 'channel' });
  const rows = (await call(world, 'GET', `/api/v1/reports/volumes?${query}`, manager.token)).body.items as { group: string; messagesInbound: number }[];
  return rows.filter((row) => row.group === 'messenger').reduce((sum, row) => sum + row.messagesInbound, 0);
}

/** A Messenger message (support queue), once the reports count it. */
async function messengerMessageArrives(manager: ConsoleUser) {
  const before = await messengerMessagesToday(manager);
  const response = await postFacebookWebhook(world, messengerBatch([messengerText(`psid-${randomBytes(4).toString('hex')}`, 'Do you ship abroad?')]));
  expect(response.status).toBe(200);
  await waitFor(() => messengerMessagesToday(manager), (count) => count > before);
}

function dateIn(timeZone: string, at = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

async function openSection(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name, exact: true }).click();
}

async function openReports(page: Page) {
  await openSection(page, 'Reports');
  await page.getByRole('heading', { name: 'Volumes' }).waitFor(wait);
}

/** Cell texts of a table's body rows (the row header first when there is one). */
async function bodyRows(page: Page, region: string): Promise<string[][]> {
  return page.getByRole('region', { name: region }).locator('tbody tr').evaluateAll((rows) =>
    rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => (cell.textContent ?? '').trim())));
}

describe('the manager console', () => {
  it('a manager sees the queue live and downloads a CSV', async () => {
    const manager = await addConsoleUser(world, { profile: 'manager' });
    const { context } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, manager);
    await openSection(page, 'Operations');
    await page.getByRole('heading', { name: 'Queues' }).waitFor(wait);
    await page.locator('[data-connection="live"]').waitFor(wait);
    const before = await waitingIn('sales', manager.token);
    await page.evaluate(() => ((globalThis as { sameDocument?: boolean }).sameDocument = true));

    expect((await inboundSms(world, { from: randomPhone(), body: 'Is the blue one in stock?' })).status).toBe(200);

    const sales = page.locator('tr', { has: page.getByRole('rowheader', { name: 'sales', exact: true }) });
    await expect.poll(() => sales.getByRole('cell').nth(0).textContent(), wait).toBe(String(before + 1));
    const oldest = sales.getByRole('cell').nth(1);
    const firstReading = await oldest.textContent();
    expect(firstReading).toMatch(/^\d+ s$|min/);
    await expect.poll(() => oldest.textContent(), wait).not.toBe(firstReading);
    expect(await page.evaluate(() => (globalThis as { sameDocument?: boolean }).sameDocument)).toBe(true);

    await openReports(page);
    const csvRequest = page.waitForRequest((request) => request.url().includes('/api/v1/reports/volumes') && request.headers().accept === 'text/csv');
    const [download] = await Promise.all([page.waitForEvent('download', wait), page.getByRole('button', { name: 'Download CSV', exact: true }).click()]);
    const saved = await readFile((await download.path())!, 'utf8');

    const fromApi = await fetch((await csvRequest).url(), {
      headers: { authorization: `Bearer ${manager.token}`, accept: 'text/csv' },
    });
    expect(saved).toBe(await fromApi.text());
    const browserZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    const [header, ...rows] = saved.trimEnd().split('\r\n');
    expect(header).toBe('bucket,start,channel,conversationsOpened,messagesInbound,messagesOutbound');
    expect(rows.some((row) => row.startsWith(`${dateIn(browserZone)}T00:00,`) && row.includes(',sms,'))).toBe(true);
    expect(download.suggestedFilename()).toMatch(/^volumes-.*\.csv$/);
    await context.close();
  });

  it('reports show a table and a chart for a date range and time zone', async () => {
    const manager = await addConsoleUser(world, { profile: 'manager' });
    await messengerMessageArrives(manager);
    const { context } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, manager);
    await openReports(page);

    const timeZone = 'Asia/Tokyo';
    const today = dateIn(timeZone);
    await page.getByLabel('From').fill(addDays(today, -1));
    await page.getByLabel('To (included)').fill(today);
    await page.getByLabel('Time zone').selectOption(timeZone);
    await page.getByLabel('Granularity').selectOption('hour');
    await page.getByLabel('Group by').selectOption('queue');
    await page.getByRole('button', { name: 'Show report' }).click();
    await page.getByRole('status').filter({ hasText: `(${timeZone})` }).waitFor(wait);

    const query = new URLSearchParams({
      from: `${addDays(today, -1)}T00:00:00+09:00`, to: `${addDays(today, 1)}T00:00:00+09:00`, timeZone, granularity: 'hour', groupBy: 'queue',
    });
    const expected = (await call(world, 'GET', `/api/v1/reports/volumes?${query}`, manager.token)).body.items as {
      bucket: string; group: string; conversationsOpened: number; messagesInbound: number; messagesOutbound: number;
    }[];
    expect(expected.some((row) => row.group === 'support')).toBe(true);
    expect(await bodyRows(page, 'Volumes table')).toEqual(expected.map((row) => [
      row.bucket.replace('T', ' '), row.group, String(row.conversationsOpened), String(row.messagesInbound), String(row.messagesOutbound),
    ]));
    const chart = page.getByRole('img', { name: /Stacked bar chart of conversations opened per hour by queue/ });
    expect(await chart.getAttribute('aria-label')).toContain(`${addDays(today, -1)} to ${today} (${timeZone})`);
    expect(await chart.getAttribute('aria-label')).toMatch(/support \d+/);
    const drawn = await chart.evaluate((canvas) => {
      const { width, height } = canvas as unknown as { width: number; height: number };
      return width * height;
    });
    expect(drawn).toBeGreaterThan(0);
    await context.close();
  });

  it('the audit log filters by action and pages', async () => {
    const created: string[] = [];
    for (let i = 0; i < 30; i++) {
      const response = await call(world, 'POST', `/api/v1/admin/brands/${world.brandId}/users`, testAdminToken, {
        email: `audited-${randomBytes(3).toString('hex')}-${i}@example.com`, password: temporaryPassword(), name: `Audited ${i}`, profile: 'agent', skills: ['sales'], maxConcurrent: 1,
      });
      expect(response.status).toBe(201);
      created.push(response.body.id as string);
    }
    const manager = await addConsoleUser(world, { profile: 'manager' });
    const { context } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, manager);
    await openSection(page, 'Audit log');
    await page.getByRole('region', { name: 'Audit entries' }).waitFor(wait);

    await page.getByLabel('Action').selectOption('user.created');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('status').filter({ hasText: 'Showing 25 entries of action user.created,' }).waitFor(wait);
    const expected = (await call(world, 'GET', '/api/v1/audit?action=user.created&limit=50', manager.token)).body.items as { target: { id: string } }[];
    const firstPage = await bodyRows(page, 'Audit entries');
    expect(firstPage.map((row) => row[1])).toEqual(Array(25).fill('user.created'));
    expect(firstPage.map((row) => row[3])).toEqual(expected.slice(0, 25).map((entry) => expect.stringContaining(`user ${entry.target.id}`)));

    await page.getByRole('button', { name: 'Older entries' }).click();
    await page.getByRole('status').filter({ hasText: `Showing ${expected.length} entries of action user.created,` }).waitFor(wait);
    const bothPages = await bodyRows(page, 'Audit entries');
    expect(bothPages.map((row) => row[3])).toEqual(expected.map((entry) => expect.stringContaining(`user ${entry.target.id}`)));
    const shownTargets = bothPages.map((row) => row[3]).join('\n');
    for (const id of created) expect(shownTargets).toContain(`user ${id}`);
    await context.close();
  });

  it('the audit log filters by target id', async () => {
    const target = await addConsoleUser(world, { profile: 'agent' });
    const manager = await addConsoleUser(world, { profile: 'manager' });
    const { context } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, manager);
    await openSection(page, 'Audit log');
    await page.getByLabel('Target id').fill(target.id);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const expected = (await call(world, 'GET', `/api/v1/audit?targetId=${target.id}`, manager.token)).body.items as { action: string }[];
    await page.getByRole('status').filter({ hasText: `Showing ${expected.length} entries of target ${target.id},` }).waitFor(wait);
    const rows = await bodyRows(page, 'Audit entries');
    expect(rows.map((row) => row[1])).toEqual(expected.map((entry) => entry.action));
    expect(rows.map((row) => row[1])).toContain('user.created');
    for (const row of rows) expect(row[3]).toContain(`user ${target.id}`);
    await context.close();
  });
});

describe('the manager pages for everyone, on every screen', () => {
  async function fitsNarrowScreen(page: Page) {
    await page.setViewportSize(narrow);
    // The page's own document, typed here without the DOM library.
    const scrollWidth = () => page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
    await expect.poll(scrollWidth, wait).toBeLessThanOrEqual(narrow.width);
  }

  it('operations show each agent\'s availability and load, live', async () => {
    const manager = await addConsoleUser(world, { profile: 'manager' });
    const agent = await addConsoleUser(world, { profile: 'agent', skills: ['sales'], maxConcurrent: 1 });
    const { context } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, manager);
    await openSection(page, 'Operations');
    const cells = () => page.getByRole('region', { name: 'Agents' }).locator(`tr[data-agent="${agent.id}"] td`).allTextContents();
    await expect.poll(cells, wait).toEqual(['Offline', '0', '1', 'sales']);
    try {
      expect((await call(world, 'PUT', '/api/v1/me/availability', agent.token, { availability: 'online' })).status).toBe(200);
      expect((await inboundSms(world, { from: randomPhone(), body: 'Anyone there?' })).status).toBe(200);
      // Online, and given one conversation (a waiting one or this one: at most its maximum of 1).
      await expect.poll(cells, wait).toEqual(['Online', '1', '1', 'sales']);
    } finally {
      await call(world, 'PUT', '/api/v1/me/availability', agent.token, { availability: 'offline' });
    }
    await context.close();
  });

  it('the operations page has no axe violations and no page-level horizontal scroll at 320 px', async () => {
    const manager = await addConsoleUser(world, { profile: 'manager' });
    expect((await inboundSms(world, { from: randomPhone(), body: 'Hello?' })).status).toBe(200);
    await waitFor(() => waitingIn('sales', manager.token), (n) => n > 0);
    const { context } = await consoleContext(world, { bypassCSP: true });
    const page = await signInThroughConsole(world, context, manager);
    await openSection(page, 'Operations');
    await page.getByRole('rowheader', { name: 'sales', exact: true }).waitFor(wait);
    await expectAccessible(page);
    await screenshot(page, 'manager-realtime');
    await fitsNarrowScreen(page);
    await expectAccessible(page);
    await screenshot(page, 'manager-realtime-320');
    await context.close();
  });

  it('the reports page has no axe violations and no page-level horizontal scroll at 320 px', async () => {
    const manager = await addConsoleUser(world, { profile: 'manager' });
    await messengerMessageArrives(manager);
    const { context } = await consoleContext(world, { bypassCSP: true });
    const page = await signInThroughConsole(world, context, manager);
    await openReports(page);
    await page.getByRole('img', { name: /Stacked bar chart/ }).waitFor(wait);
    await expectAccessible(page);
    await screenshot(page, 'manager-reports');
    await fitsNarrowScreen(page);
    await expectAccessible(page);
    await screenshot(page, 'manager-reports-320');
    await context.close();
  });

  it('the audit log has no axe violations and no page-level horizontal scroll at 320 px', async () => {
    const manager = await addConsoleUser(world, { profile: 'manager' });
    const { context } = await consoleContext(world, { bypassCSP: true });
    const page = await signInThroughConsole(world, context, manager);
    await openSection(page, 'Audit log');
    await page.getByRole('region', { name: 'Audit entries' }).waitFor(wait);
    await expectAccessible(page);
    await screenshot(page, 'manager-audit');
    await fitsNarrowScreen(page);
    await expectAccessible(page);
    await screenshot(page, 'manager-audit-320');
    await context.close();
  });

  it('the reports chart draws under the console CSP without a violation', async () => {
    const manager = await addConsoleUser(world, { profile: 'manager' });
    await messengerMessageArrives(manager);
    const { context, problems } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, manager);
    await openReports(page);
    await page.getByRole('img', { name: /Stacked bar chart/ }).waitFor(wait);
    await page.getByLabel('Chart shows').selectOption('messagesInbound');
    await page.getByRole('img', { name: /Stacked bar chart of messages received/ }).waitFor(wait);
    expect(await cspViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
