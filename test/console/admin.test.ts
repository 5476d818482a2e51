import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { newPassword, temporaryPassword } from '../support/accounts.js';
import { call } from '../support/connectors.js';
import {
  addConsoleUser, chooseOwnPassword, consoleContext, cspViolations, expectAccessible, screenshot, signInThroughConsole, startConsoleWorld, submitSignIn,
  type ConsoleUser,
} from '../support/console.js';

const world = await startConsoleWorld();
afterAll(() => world.stop());

const wait = { timeout: 20_000 };
const unique = (label: string) => `${label} ${randomBytes(3).toString('hex')}`;
type AdminPage = 'Users' | 'Profiles' | 'Account policy';

async function openAdminPage(context: BrowserContext, admin: ConsoleUser, section: AdminPage): Promise<Page> {
  const page = await signInThroughConsole(world, context, admin);
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: section, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: section }).waitFor(wait);
  return page;
}

async function openUsers(context: BrowserContext, admin: ConsoleUser): Promise<Page> {
  const page = await openAdminPage(context, admin, 'Users');
  await page.getByRole('table').waitFor(wait);
  return page;
}

async function login(email: string, password: string) {
  const response = await fetch(`${world.system.url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ brandId: world.brandId, email, password }),
  });
  return { status: response.status, body: (await response.json()) as { user?: { passwordChangeRequired: boolean } } };
}

const userRow = (page: Page, email: string) => page.locator('tbody tr', { hasText: email });

/** Wrong passwords in a row, as many as the brand's policy allows before it locks the account. */
async function lockByFailedSignIns(admin: ConsoleUser, email: string) {
  const policy = await call(world, 'GET', '/api/v1/account-policy', admin.token);
  for (let i = 0; i < (policy.body.maxFailedLogins as number); i++) expect((await login(email, 'not the password at all')).status).toBe(401);
}

async function expectNoSidewaysScroll(page: Page) {
  expect(await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(0);
}

describe('the admin console pages', () => {
  it('an admin creates a user who must change the temporary password at first sign-in', async () => {
    const admin = await addConsoleUser(world, { profile: 'admin' });
    const { context, problems } = await consoleContext(world);
    const page = await openUsers(context, admin);
    const email = `new-${randomBytes(3).toString('hex')}@example.com`;
    const name = unique('New Starter');
    const temporary = temporaryPassword();

    await page.getByRole('button', { name: 'Create a user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a user' });
    await dialog.getByLabel('Email', { exact: true }).fill(email);
    await dialog.getByLabel('Name', { exact: true }).fill(name);
    await dialog.getByLabel('Profile', { exact: true }).selectOption('agent');
    await dialog.getByLabel('Temporary password').fill(temporary);
    await dialog.getByRole('checkbox', { name: 'sales', exact: true }).check();
    await dialog.getByLabel('Other queue ids').fill('vip');
    await dialog.getByLabel('Maximum concurrent conversations').fill('2');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await userRow(page, email).waitFor(wait);
    expect(await userRow(page, email).textContent()).toMatch(/sales, vip.*2/);
    expect(await page.locator('.admin-done').textContent()).toMatch(/must choose their own password at first sign-in/);

    const newcomer = await world.browser.newContext();
    const theirs = await newcomer.newPage();
    await submitSignIn(world, theirs, { email, password: temporary });
    await chooseOwnPassword(theirs, temporary, newPassword('own'));
    expect(await theirs.getByRole('link', { name: 'Conversations' }).getAttribute('aria-current')).toBe('page');
    expect(problems).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
    await newcomer.close();
    await context.close();
  });

  it('an admin edits a user\'s name, profile, skills and capacity', async () => {
    const admin = await addConsoleUser(world, { profile: 'admin' });
    const name = unique('Mover');
    const target = await addConsoleUser(world, { name, skills: ['sales', 'support'] });
    const { context } = await consoleContext(world);
    const page = await openUsers(context, admin);

    await page.getByRole('button', { name: `Edit ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit user' });
    await dialog.getByLabel('Name', { exact: true }).fill(`${name} Senior`);
    await dialog.getByLabel('Profile', { exact: true }).selectOption('manager');
    await dialog.getByRole('checkbox', { name: 'support', exact: true }).uncheck();
    await dialog.getByLabel('Other queue ids').fill('vip');
    await dialog.getByLabel('Maximum concurrent conversations').fill('5');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'hidden', ...wait });
    expect((await call(world, 'GET', `/api/v1/users/${target.id}`, admin.token)).body)
      .toMatchObject({ name: `${name} Senior`, profile: 'manager', skills: ['sales', 'vip'], maxConcurrent: 5 });
    expect(await userRow(page, target.email).textContent()).toMatch(/Senior.*manager.*sales, vip.*5/);
    await context.close();
  });

  it('an admin unlocks a locked user', async () => {
    const admin = await addConsoleUser(world, { profile: 'admin' });
    const name = unique('Shut Out');
    const target = await addConsoleUser(world, { name });
    await lockByFailedSignIns(admin, target.email);
    expect((await login(target.email, target.password)).status).toBe(401);
    const { context } = await consoleContext(world);
    const page = await openUsers(context, admin);

    const lockedCell = userRow(page, target.email).getByRole('cell').nth(3);
    expect(await lockedCell.textContent()).toBe('Locked');
    await page.getByRole('button', { name: `Unlock ${name}` }).click();
    await page.getByRole('button', { name: `Unlock ${name}` }).waitFor({ state: 'detached', ...wait });
    expect(await lockedCell.textContent()).toBe('No');
    expect((await login(target.email, target.password)).status).toBe(200);
    await context.close();
  });

  it('an admin disables a user after confirming, and their session stops working', async () => {
    const admin = await addConsoleUser(world, { profile: 'admin' });
    const name = unique('Leaver');
    const target = await addConsoleUser(world, { name });
    const theirs = await consoleContext(world);
    const targetPage = await signInThroughConsole(world, theirs.context, target);
    const { context } = await consoleContext(world);
    const page = await openUsers(context, admin);

    await page.getByRole('button', { name: `Disable ${name}` }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Disable user' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'hidden', ...wait });
    expect((await call(world, 'GET', `/api/v1/users/${target.id}`, admin.token)).body.status).toBe('active');

    await page.getByRole('button', { name: `Disable ${name}` }).click();
    await confirm.getByRole('button', { name: `Disable ${name}` }).click();
    await page.getByRole('button', { name: `Enable ${name}` }).waitFor(wait);
    expect(await userRow(page, target.email).textContent()).toContain('Disabled');
    expect((await call(world, 'GET', '/api/v1/me', target.token)).status).toBe(401);
    await targetPage.reload();
    await targetPage.getByRole('button', { name: 'Sign in' }).waitFor(wait);
    expect((await login(target.email, target.password)).status).toBe(401);
    await theirs.context.close();
    await context.close();
  });

  it('an admin resets a password', async () => {
    const admin = await addConsoleUser(world, { profile: 'admin' });
    const name = unique('Forgetful');
    const target = await addConsoleUser(world, { name });
    const { context } = await consoleContext(world);
    const page = await openUsers(context, admin);

    await page.getByRole('button', { name: `Reset password ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Reset password' });
    expect(await dialog.textContent()).toMatch(/must choose their own password at their next sign-in/);
    const field = dialog.getByLabel('Temporary password');
    await field.fill('short');
    await dialog.getByRole('button', { name: 'Set temporary password' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent(), wait).toMatch(/password must be at least \d+ characters/);
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.evaluate((input) => input.ownerDocument.activeElement === input)).toBe(true);

    const temporary = temporaryPassword();
    await field.fill(temporary);
    await dialog.getByRole('button', { name: 'Set temporary password' }).click();
    await dialog.waitFor({ state: 'hidden', ...wait });
    expect(await page.locator('.admin-done').textContent()).toMatch(/must choose their own at their next sign-in/);
    expect((await call(world, 'GET', '/api/v1/me', target.token)).status).toBe(401);
    expect((await login(target.email, target.password)).status).toBe(401);
    const signedIn = await login(target.email, temporary);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user?.passwordChangeRequired).toBe(true);
    await context.close();
  });

  it('an admin creates a custom profile and changes the account policy', async () => {
    const admin = await addConsoleUser(world, { profile: 'admin' });
    const { context } = await consoleContext(world);
    const page = await openAdminPage(context, admin, 'Profiles');
    const profileName = `night-${randomBytes(3).toString('hex')}`;

    await page.getByRole('row', { name: /^agent/ }).waitFor(wait);
    expect(await page.getByRole('button', { name: 'Edit agent' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Create a profile' }).click();
    const create = page.getByRole('dialog', { name: 'Create a profile' });
    await create.getByLabel('Name', { exact: true }).fill(profileName);
    await create.getByLabel('Role').selectOption('agent');
    await create.getByLabel(/See the conversations of their queues/).check();
    await create.getByLabel(/Reply to consumers/).check();
    await create.getByRole('button', { name: 'Create profile' }).click();
    await page.getByRole('button', { name: `Edit ${profileName}` }).click();
    const edit = page.getByRole('dialog', { name: 'Edit profile' });
    await edit.getByLabel(/Close conversations/).check();
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.waitFor({ state: 'hidden', ...wait });
    const profiles = (await call(world, 'GET', '/api/v1/profiles', admin.token)).body.items as { name: string; permissions: string[] }[];
    expect(profiles.find((profile) => profile.name === profileName)?.permissions).toEqual(['conversation.view', 'conversation.reply', 'conversation.close']);

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Account policy' }).click();
    const minimum = page.getByLabel('Minimum password length');
    await minimum.waitFor(wait);
    expect(await page.getByText('12 to 128 characters').count()).toBe(1);
    await minimum.fill('11');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText('minPasswordLength must be at least 12').waitFor(wait);
    expect(await minimum.getAttribute('aria-invalid')).toBe('true');
    expect((await call(world, 'GET', '/api/v1/account-policy', admin.token)).body.minPasswordLength).not.toBe(11);

    await minimum.fill('16');
    await page.getByLabel('Idle timeout').fill('14');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.locator('.admin-done').getByText('The account policy is saved.').waitFor(wait);
    expect(await minimum.getAttribute('aria-invalid')).toBeNull();
    expect((await call(world, 'GET', '/api/v1/account-policy', admin.token)).body).toMatchObject({ minPasswordLength: 16, idleTimeoutMinutes: 14 });
    await context.close();
  });

  it('the users page and its create-user form, also with a refusal shown, have no axe violations', async () => {
    const admin = await addConsoleUser(world, { profile: 'admin' });
    const { context } = await consoleContext(world, { bypassCSP: true });
    const page = await openUsers(context, admin);
    await expectAccessible(page);
    await screenshot(page, 'admin-users');

    await page.getByRole('button', { name: 'Create a user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a user' });
    await dialog.getByLabel('Email', { exact: true }).waitFor(wait);
    await expectAccessible(page);
    await dialog.getByLabel('Email', { exact: true }).fill('not an email');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await dialog.getByRole('alert').waitFor(wait);
    expect(await dialog.getByLabel('Email', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);
    await screenshot(page, 'admin-create-user');
    await context.close();
  });

  it('the profiles and account policy pages have no axe violations', async () => {
    const admin = await addConsoleUser(world, { profile: 'admin' });
    const { context } = await consoleContext(world, { bypassCSP: true });
    const page = await openAdminPage(context, admin, 'Profiles');
    await page.getByRole('table').waitFor(wait);
    await expectAccessible(page);
    await screenshot(page, 'admin-profiles');
    await page.getByRole('button', { name: 'Create a profile' }).click();
    await page.getByRole('dialog', { name: 'Create a profile' }).getByLabel('Name', { exact: true }).waitFor(wait);
    await expectAccessible(page);
    await page.keyboard.press('Escape');

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Account policy' }).click();
    await page.getByLabel('Minimum password length').waitFor(wait);
    await expectAccessible(page);
    await screenshot(page, 'admin-policy');
    await context.close();
  });

  it('at 320 px wide no admin page scrolls sideways: the tables scroll inside their own region', async () => {
    const admin = await addConsoleUser(world, { profile: 'admin' });
    const { context } = await consoleContext(world, { viewport: { width: 320, height: 640 } });
    const page = await openUsers(context, admin);
    await expectNoSidewaysScroll(page);
    const region = page.getByRole('region', { name: 'Users' });
    expect(await region.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
    await page.getByRole('button', { name: 'Create a user' }).click();
    await page.getByRole('dialog', { name: 'Create a user' }).getByLabel('Email', { exact: true }).waitFor(wait);
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'admin-users-320-create');
    await page.keyboard.press('Escape');

    for (const section of ['Profiles', 'Account policy'] as const) {
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: section, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: section }).waitFor(wait);
      await page.locator('table, form').first().waitFor(wait);
      await expectNoSidewaysScroll(page);
    }
    await context.close();
  });
});
