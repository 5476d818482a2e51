/**
 * The console in real Chromium against the whole system: a connector world (API + worker, provider
 * stand-ins), users made through the admin API, pages signed in through the sign-in form.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { completeFirstSignIn, temporaryPassword } from './accounts.js';
import { describeViolations, launchBrowser, runAxe, type TestBrowser } from './browser.js';
import { call, startConnectorWorld, type ConnectorWorld } from './connectors.js';
import { testAdminToken } from './settings.js';

export interface ConsoleUser {
  id: string;
  email: string;
  password: string;
  /** A bearer session of the same user, for arranging things through the API. */
  token: string;
}

export interface ConsoleWorld extends ConnectorWorld {
  browser: TestBrowser;
  consoleUrl: string;
}

export async function startConsoleWorld(options: { env?: Record<string, string> } = {}): Promise<ConsoleWorld> {
  const world = await startConnectorWorld(options);
  const browser = await launchBrowser();
  const stopWorld = world.stop.bind(world);
  return Object.assign(world, {
    browser,
    consoleUrl: `${world.system.url}/console/`,
    async stop() {
      await browser.close();
      await stopWorld();
    },
  });
}

let counter = 0;

/** A user of the world's brand who has already chosen their own password. */
export async function addConsoleUser(
  world: ConnectorWorld,
  fields: { profile?: string; skills?: string[]; maxConcurrent?: number; name?: string } = {},
): Promise<ConsoleUser> {
  const email = `console-${randomBytes(3).toString('hex')}-${++counter}@example.com`;
  const temporary = temporaryPassword();
  const created = await call(world, 'POST', `/api/v1/admin/brands/${world.brandId}/users`, testAdminToken, {
    email, password: temporary, name: fields.name ?? `Console User ${counter}`, profile: fields.profile ?? 'agent',
    skills: fields.skills ?? ['sales', 'support'], maxConcurrent: fields.maxConcurrent ?? 3,
  });
  if (created.status !== 201) throw new Error(`could not create user: ${JSON.stringify(created.body)}`);
  const password = `pw-${randomBytes(16).toString('base64url')}`;
  const token = await completeFirstSignIn(world.system.url, { brandId: world.brandId, email, temporaryPassword: temporary, password });
  return { id: created.body.id as string, email, password, token };
}

/** A browser context that reports every CSP violation and uncaught page error into `problems`. */
export async function consoleContext(world: ConsoleWorld, options: { viewport?: { width: number; height: number }; bypassCSP?: boolean } = {}) {
  const context = await world.browser.newContext(options);
  const problems: string[] = [];
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (event) => {
    globalThis.__cspViolations = [...(globalThis.__cspViolations ?? []), event.violatedDirective + ' ' + event.blockedURI];
  });`);
  context.on('weberror', (error) => problems.push(`page error: ${error.error().message}`));
  return { context, problems };
}

/** Opens the console on `page` and submits its sign-in form (whatever the outcome). */
export async function submitSignIn(world: ConsoleWorld, page: Page, user: Pick<ConsoleUser, 'email' | 'password'>): Promise<void> {
  await page.goto(world.consoleUrl);
  await page.getByLabel('Brand').fill(world.brandId);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Opens the console and signs in through its form; resolves once the signed-in shell shows.
 * `fakeClock`: the page's timers run on Playwright's clock (page.clock.fastForward), for idle timeouts.
 */
export async function signInThroughConsole(
  world: ConsoleWorld, context: BrowserContext, user: Pick<ConsoleUser, 'email' | 'password'>, options: { fakeClock?: boolean } = {},
): Promise<Page> {
  const page = await context.newPage();
  if (options.fakeClock) await page.clock.install();
  await submitSignIn(world, page, user);
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

/** The "Choose your password" page a temporary password leads to: replaces it and waits for the signed-in shell. */
export async function chooseOwnPassword(page: Page, temporary: string, own: string): Promise<void> {
  await page.getByRole('heading', { name: 'Choose your password' }).waitFor({ timeout: 20_000 });
  await page.getByLabel('Current password').fill(temporary);
  await page.getByLabel('New password', { exact: true }).fill(own);
  await page.getByLabel('New password again').fill(own);
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 20_000 });
}

/** CSP violations the page saw (collected by consoleContext's init script). */
export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate<string[]>('globalThis.__cspViolations ?? []');
}

/** Zero axe-core violations (WCAG 2.0–2.2 A and AA) on what the page shows now. Needs a bypassCSP context (axe is injected). */
export async function expectAccessible(page: Page): Promise<void> {
  const violations = await runAxe(page);
  expect(violations, describeViolations(violations)).toEqual([]);
}

const screenshotDir = fileURLToPath(new URL('../../test-results/console-screenshots/', import.meta.url));

/** A full-page screenshot for review, in the git-ignored test-results/console-screenshots. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}
