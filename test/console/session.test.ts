import { afterAll, describe, expect, it } from 'vitest';
import { call } from '../support/connectors.js';
import { temporaryPassword } from '../support/accounts.js';
import {
  addConsoleUser, chooseOwnPassword, consoleContext, cspViolations, expectAccessible, screenshot, signInThroughConsole, startConsoleWorld, submitSignIn,
} from '../support/console.js';
import { testAdminToken } from '../support/settings.js';

const world = await startConsoleWorld();
afterAll(() => world.stop());

const wait = { timeout: 20_000 };

async function failSignIns(email: string, times: number) {
  for (let i = 0; i < times; i++) {
    const response = await fetch(`${world.system.url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ brandId: world.brandId, email, password: 'not-the-password' }),
    });
    expect(response.status).toBe(401);
  }
}

describe('signing in to the console', () => {
  it('keeps the session in an HttpOnly, SameSite=Strict cookie that page script cannot read, and nothing secret in storage', async () => {
    const user = await addConsoleUser(world);
    const { context } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, user);
    const cookie = (await context.cookies()).find((candidate) => candidate.name === 'sb_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(await page.evaluate<string>('document.cookie')).not.toContain('sb_session');
    const stored = await page.evaluate<string>('JSON.stringify({ ...window.localStorage, ...window.sessionStorage })');
    expect(stored).not.toContain(cookie!.value);
    expect(stored).not.toMatch(/sbs_|csrf/i);
    await context.close();
  });

  it('stays signed in across a reload, and writes still pass the CSRF check', async () => {
    const user = await addConsoleUser(world);
    const { context } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, user);
    await page.reload();
    await page.getByLabel('Availability').selectOption('online');
    await expect.poll(async () => (await call(world, 'GET', '/api/v1/me', user.token)).body.user.availability, wait).toBe('online');
    await context.close();
  });

  it('explains a failed sign-in, including that repeated failures lock the account', async () => {
    const user = await addConsoleUser(world);
    const { context } = await consoleContext(world);
    const page = await context.newPage();
    await submitSignIn(world, page, { email: user.email, password: 'wrong password entirely' });
    await expect.poll(() => page.getByRole('alert').textContent(), wait).toMatch(/locks until an administrator unlocks it/);
    await context.close();
  });

  it('tells a signed-in user whose account got locked to ask an administrator', async () => {
    const user = await addConsoleUser(world, { profile: 'agent' });
    const { context } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, user);
    await failSignIns(user.email, 3);
    await page.getByLabel('Availability').selectOption('away');
    await page.getByRole('button', { name: 'Sign in' }).waitFor(wait);
    expect(await page.getByRole('status').filter({ hasText: 'locked' }).textContent()).toMatch(/Ask an administrator to unlock it/);
    await context.close();
  });

  it('makes a user whose password an administrator set choose their own before anything else', async () => {
    const email = `first-use-${Date.now()}@example.com`;
    const temporary = temporaryPassword();
    const created = await call(world, 'POST', `/api/v1/admin/brands/${world.brandId}/users`, testAdminToken, {
      email, password: temporary, name: 'First Use', profile: 'agent', skills: ['sales'], maxConcurrent: 2,
    });
    expect(created.status).toBe(201);
    const { context } = await consoleContext(world, { bypassCSP: true });
    const page = await context.newPage();
    await submitSignIn(world, page, { email, password: temporary });
    await page.getByRole('heading', { name: 'Choose your password' }).waitFor(wait);
    await expectAccessible(page);
    await screenshot(page, 'change-password');
    await chooseOwnPassword(page, temporary, 'a brand new long passphrase');
    await context.close();
  });

  it('warns a minute before the idle timeout and then signs out', async () => {
    const user = await addConsoleUser(world);
    const { context } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, user, { fakeClock: true });
    await page.clock.fastForward('14:01');
    await page.getByRole('alertdialog', { name: 'Still there?' }).waitFor(wait);
    await page.clock.fastForward('01:00');
    await page.getByRole('button', { name: 'Sign in' }).waitFor(wait);
    expect(await page.getByText('signed out after a period of inactivity').count()).toBe(1);
    expect((await context.cookies()).some((cookie) => cookie.name === 'sb_session')).toBe(false);
    await context.close();
  });

  it('keeps the session when the user answers the idle warning', async () => {
    const user = await addConsoleUser(world);
    const { context } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, user, { fakeClock: true });
    await page.clock.fastForward('14:10');
    await page.getByRole('button', { name: 'Stay signed in' }).click();
    await page.clock.fastForward('02:00');
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
    await context.close();
  });

  it('signs out: the cookie is cleared and the session ends on the server', async () => {
    const user = await addConsoleUser(world);
    const { context } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, user);
    const cookie = (await context.cookies()).find((candidate) => candidate.name === 'sb_session')!;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor(wait);
    const replay = await fetch(`${world.system.url}/api/v1/me`, { headers: { cookie: `sb_session=${cookie.value}` } });
    expect(replay.status).toBe(401);
    await context.close();
  });

  it('lists the keyboard shortcuts in a dialog opened with Alt+H', async () => {
    const user = await addConsoleUser(world);
    const { context } = await consoleContext(world);
    const page = await signInThroughConsole(world, context, user);
    await page.keyboard.press('Alt+KeyH');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor(wait);
    expect(await dialog.getByRole('row').count()).toBeGreaterThanOrEqual(8);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', ...wait });
    await context.close();
  });

  it('has no accessibility violations and no CSP violations on the sign-in and password pages, at desktop and 320 px', async () => {
    for (const viewport of [{ width: 1280, height: 800 }, { width: 320, height: 640 }]) {
      const { context } = await consoleContext(world, { viewport, bypassCSP: true });
      const page = await context.newPage();
      await page.goto(world.consoleUrl);
      await page.getByRole('button', { name: 'Sign in' }).waitFor(wait);
      await expectAccessible(page);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(viewport.width);
      await screenshot(page, `sign-in-${viewport.width}`);
      await context.close();
    }
    const { context } = await consoleContext(world);
    const page = await context.newPage();
    await page.goto(world.consoleUrl);
    await page.getByRole('button', { name: 'Sign in' }).waitFor(wait);
    expect(await cspViolations(page)).toEqual([]);
    await context.close();
  });
});
