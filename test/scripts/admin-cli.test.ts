import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/local-servers/index.js';
import { call } from '../support/connectors.js';
import { testAdminToken } from '../support/settings.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

let system: TestSystem;
let port: number;
let tempDir: string;
beforeAll(async () => {
  port = await freePort();
  [system, tempDir] = await Promise.all([startTestSystem({ env: { PORT: String(port) } }), mkdtemp(path.join(tmpdir(), 'switchboard-admin-cli-'))]);
});
afterAll(async () => {
  await system?.stop();
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
});

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run admin -- …` as npm runs it, pointed at the test API through PORT (the CLI's default URL). */
function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(ADMIN_TOKEN|SWITCHBOARD_API_URL|PUBLIC_BASE_URL|DATA_DIR|PORT|TWILIO_.*|FACEBOOK_.*)$/.test(name)),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/admin-cli.ts', ...args], {
    cwd: projectRoot,
    env: { ...inherited, PORT: String(port), ADMIN_TOKEN: testAdminToken, DATA_DIR: path.join(tempDir, 'no-such-dir'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const admin = (method: string, urlPath: string, body?: unknown) => call({ system }, method, urlPath, testAdminToken, body);

let counter = 0;
const uniqueBrandId = () => `cli-${randomBytes(3).toString('hex')}-${++counter}`;
const uniqueNumber = () => `+1415555${String(3000 + ++counter).padStart(4, '0')}`;
const canary = (label: string) => `canary-${label}-${randomBytes(12).toString('hex')}`;
const accountSid = () => `AC${randomBytes(16).toString('hex')}`;
const tokenIn = (text: string) => /sbk_[A-Za-z0-9_-]+/.exec(text)?.[0];

const setupTwilio = (brand: string, number: string, extra: string[] = []) => [
  'setup', 'twilio', '--brand', brand, '--name', 'Acme', '--account-sid', accountSid(), '--auth-token', canary('auth'), '--number', number, ...extra,
];

const facebookSecrets = () => ({ page: canary('page'), app: canary('app'), verify: canary('verify') });
const setupFacebook = (brand: string, secrets = facebookSecrets(), extra: string[] = []) => [
  'setup', 'facebook', '--brand', brand, '--name', 'Acme', '--page-id', String(1_000_000 + ++counter),
  '--page-access-token', secrets.page, '--app-secret', secrets.app, '--verify-token', secrets.verify, ...extra,
];

describe('admin CLI: setup', () => {
  it('setup twilio creates the brand and its channel in one command, printing the webhook URL and a working agent token', async () => {
    const brand = uniqueBrandId();
    const number = uniqueNumber();
    const result = await cli(setupTwilio(brand, `${number}:sales`));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`http://127.0.0.1:${port}/webhooks/twilio`);
    expect(result.stdout).toMatch(/shown once/);

    expect((await admin('GET', `/api/v1/admin/brands/${brand}`)).body).toMatchObject({ id: brand, name: 'Acme', status: 'active' });
    const channels = (await admin('GET', `/api/v1/admin/brands/${brand}/channels`)).body.items;
    expect(channels).toEqual([expect.objectContaining({ kind: 'twilio', entryPoints: [{ id: `twilio:${number}`, address: number, queueId: 'sales' }] })]);
    const token = tokenIn(result.stdout)!;
    expect((await call({ system }, 'GET', '/api/v1/conversations', token)).status).toBe(200);
  });

  it('setup twilio stores exactly the account SID and auth token it was given', async () => {
    const sid = accountSid();
    const authToken = canary('auth');
    const brand = uniqueBrandId();
    const result = await cli(['setup', 'twilio', '--brand', brand, '--name', 'Acme', '--account-sid', sid, '--auth-token', authToken, '--number', uniqueNumber()]);
    expect(result.code).toBe(0);
    const [channel] = (await admin('GET', `/api/v1/admin/brands/${brand}/channels`)).body.items;
    expect((await system.services.directory.resolveChannel(channel.id))?.secrets).toEqual({ kind: 'twilio', accountSid: sid, authToken });
  });

  it('setup checks the channel before creating anything: an invalid number exits 1 and leaves no brand behind', async () => {
    const brand = uniqueBrandId();
    const result = await cli(setupTwilio(brand, '4155550100'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('(validation_failed)');
    expect(result.stderr).toContain('numbers.0.phoneNumber');
    expect((await admin('GET', `/api/v1/admin/brands/${brand}`)).status).toBe(404);
  });

  it('setup twilio for another number on an existing brand adds a channel and leaves the brand and its token as they were', async () => {
    const brand = uniqueBrandId();
    const first = await cli(setupTwilio(brand, uniqueNumber()));
    const before = (await admin('GET', `/api/v1/admin/brands/${brand}`)).body;
    const second = await cli(setupTwilio(brand, uniqueNumber()));

    expect(second.code).toBe(0);
    expect(second.stdout).toContain('exists');
    expect(tokenIn(second.stdout)).toBeUndefined();
    expect(second.stdout).toContain(`http://127.0.0.1:${port}/webhooks/twilio`);
    expect((await admin('GET', `/api/v1/admin/brands/${brand}`)).body).toEqual(before);
    expect((await admin('GET', `/api/v1/admin/brands/${brand}/channels`)).body.items).toHaveLength(2);
    expect((await call({ system }, 'GET', '/api/v1/conversations', tokenIn(first.stdout)!)).status).toBe(200);
  });

  it('setup facebook prints the callback URL under PUBLIC_BASE_URL and tells which verify token to enter without printing it', async () => {
    const secrets = facebookSecrets();
    const result = await cli(setupFacebook(uniqueBrandId(), secrets), { PUBLIC_BASE_URL: 'https://switchboard.example.com/' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('https://switchboard.example.com/webhooks/facebook');
    expect(result.stdout).toContain('--verify-token');
    expect(result.stdout).not.toContain(secrets.verify);
  });

  it('keeps a new brand\'s token on screen when its channel cannot be added, and exits 1', async () => {
    const number = uniqueNumber();
    expect((await cli(setupTwilio(uniqueBrandId(), number))).code).toBe(0);
    const brand = uniqueBrandId();
    const result = await cli(setupTwilio(brand, number));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('(entry_point_taken)');
    const token = tokenIn(result.stdout)!;
    expect((await call({ system }, 'GET', '/api/v1/conversations', token)).status).toBe(200);
    expect((await admin('GET', `/api/v1/admin/brands/${brand}/channels`)).body.items).toEqual([]);
  });
});

describe('admin CLI: secrets', () => {
  it('never prints a secret it was given: setup, update, --json and failures', async () => {
    const brand = uniqueBrandId();
    const number = uniqueNumber();
    const auth = canary('auth');
    const fb = facebookSecrets();
    const rotated = canary('rotated');
    const clashing = canary('clash');
    const runs = [
      await cli(['setup', 'twilio', '--brand', brand, '--name', 'Acme', '--account-sid', accountSid(), '--auth-token', auth, '--number', number]),
      await cli(setupFacebook(brand, fb, ['--json'])),
      await cli(['channel', 'add-twilio', '--brand', brand, '--account-sid', accountSid(), '--auth-token', clashing, '--number', number]),
      await cli(['channel', 'add-twilio', '--brand', brand, '--account-sid', 'not-a-sid', '--auth-token', clashing, '--number', uniqueNumber()]),
    ];
    const channel = (await admin('GET', `/api/v1/admin/brands/${brand}/channels`)).body.items[0];
    runs.push(await cli(['channel', 'update', '--brand', brand, '--id', channel.id, '--auth-token', rotated, '--json']));
    runs.push(await cli(['channel', 'list', '--brand', brand]));

    expect(runs.map((run) => run.code)).toEqual([0, 0, 1, 1, 0, 0]);
    const printed = runs.map((run) => run.stdout + run.stderr).join('\n');
    for (const secret of [auth, fb.page, fb.app, fb.verify, rotated, clashing]) expect(printed).not.toContain(secret);
  });

  it('takes channel secrets from TWILIO_AUTH_TOKEN and FACEBOOK_* when their options are left out', async () => {
    const brand = uniqueBrandId();
    const env = { TWILIO_AUTH_TOKEN: canary('auth'), FACEBOOK_PAGE_ACCESS_TOKEN: canary('page'), FACEBOOK_APP_SECRET: canary('app'), FACEBOOK_VERIFY_TOKEN: canary('verify') };
    const sms = await cli(['setup', 'twilio', '--brand', brand, '--name', 'Acme', '--account-sid', accountSid(), '--number', uniqueNumber()], env);
    const page = await cli(['channel', 'add-facebook', '--brand', brand, '--page-id', String(1_000_000 + ++counter), '--json'], env);
    expect([sms.code, page.code]).toEqual([0, 0]);
    const [twilio, facebook] = (await admin('GET', `/api/v1/admin/brands/${brand}/channels`)).body.items;
    expect((await system.services.directory.resolveChannel(twilio.id))?.secrets).toMatchObject({ authToken: env.TWILIO_AUTH_TOKEN });
    expect((await system.services.directory.resolveChannel(facebook.id))?.secrets).toMatchObject({
      pageAccessToken: env.FACEBOOK_PAGE_ACCESS_TOKEN, appSecret: env.FACEBOOK_APP_SECRET, verifyToken: env.FACEBOOK_VERIFY_TOKEN,
    });
    for (const secret of Object.values(env)) expect(sms.stdout + sms.stderr + page.stdout + page.stderr).not.toContain(secret);
  });
});

describe('admin CLI: output and errors', () => {
  it('--json prints one document that parses, with the brand, its token, the channel and the webhook URL', async () => {
    const brand = uniqueBrandId();
    const result = await cli(setupFacebook(brand, facebookSecrets(), ['--queue', 'support', '--json']));
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({
      brand: { id: brand, name: 'Acme' },
      brandCreated: true,
      apiToken: expect.stringMatching(/^sbk_/),
      channel: { kind: 'facebook', facebook: { pageAccessToken: 'set', appSecret: 'set', verifyToken: 'set' }, entryPoints: [{ queueId: 'support' }] },
      webhooks: { facebook: `http://127.0.0.1:${port}/webhooks/facebook` },
    });
  });

  it('brand list --json parses and lists the brands', async () => {
    const brand = uniqueBrandId();
    expect((await cli(['brand', 'create', '--id', brand, '--name', 'Listed'])).code).toBe(0);
    const result = await cli(['brand', 'list', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).items).toContainEqual(expect.objectContaining({ id: brand, name: 'Listed' }));
  });

  it('brand create prints the brand and its agent token, saying it is shown once', async () => {
    const brand = uniqueBrandId();
    const result = await cli(['brand', 'create', '--id', brand, '--name', 'Acme Ltd', '--help-text', 'Acme: reply here.', '--inactivity-minutes', '45']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Brand ${brand} "Acme Ltd" (active)`);
    expect(result.stdout).toMatch(/shown once/);
    expect((await admin('GET', `/api/v1/admin/brands/${brand}`)).body).toMatchObject({ helpText: 'Acme: reply here.', inactivityTimeoutMinutes: 45 });
    expect((await call({ system }, 'GET', '/api/v1/conversations', tokenIn(result.stdout)!)).status).toBe(200);
  });

  it('brand update --disable turns the brand\'s agent token away', async () => {
    const brand = uniqueBrandId();
    const token = tokenIn((await cli(['brand', 'create', '--id', brand, '--name', 'Acme'])).stdout)!;
    const result = await cli(['brand', 'update', '--id', brand, '--disable']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('(disabled)');
    expect((await call({ system }, 'GET', '/api/v1/conversations', token)).status).toBe(401);
  });

  it('channel update --number replaces the channel\'s numbers', async () => {
    const brand = uniqueBrandId();
    await cli(setupTwilio(brand, uniqueNumber()));
    const channel = (await admin('GET', `/api/v1/admin/brands/${brand}/channels`)).body.items[0];
    const replacement = uniqueNumber();
    const result = await cli(['channel', 'update', '--brand', brand, '--id', channel.id, '--number', `${replacement}:vip`, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).entryPoints).toEqual([{ id: `twilio:${replacement}`, address: replacement, queueId: 'vip' }]);
  });

  it('an API error (number already taken: 409) exits 1 with "error: <message> (<code>)" on stderr and nothing on stdout', async () => {
    const brand = uniqueBrandId();
    const number = uniqueNumber();
    await cli(setupTwilio(brand, number));
    const result = await cli(['channel', 'add-twilio', '--brand', brand, '--account-sid', accountSid(), '--auth-token', canary('auth'), '--number', number]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('error: A number or page in this request already belongs to a channel (entry_point_taken)');
    expect(result.stdout).toBe('');
  });

  it('a validation error exits 1 naming the field the API refused', async () => {
    const result = await cli(['channel', 'add-twilio', '--brand', uniqueBrandId(), '--account-sid', accountSid(), '--auth-token', canary('auth'), '--number', '4155550100']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('(validation_failed)');
    expect(result.stderr).toContain('numbers.0.phoneNumber');
  });

  it('an unknown brand exits 1 with brand_not_found', async () => {
    const result = await cli(['brand', 'get', '--id', uniqueBrandId()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: No brand ".+" \(brand_not_found\)\n$/);
  });

  it('an unknown command exits 2 with the usage on stderr', async () => {
    const result = await cli(['brand', 'explode']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "brand explode"');
    expect(result.stderr).toContain('Usage: npm run admin -- <command>');
    expect(result.stdout).toBe('');
  });

  it('a missing required option exits 2 naming it', async () => {
    const result = await cli(['setup', 'twilio', '--brand', uniqueBrandId(), '--name', 'Acme']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('needs --account-sid, --auth-token (or TWILIO_AUTH_TOKEN), --number');
    expect(result.stderr).toContain('Usage: npm run admin -- setup twilio');
  });

  it('--help prints the usage of every command on stdout and exits 0', async () => {
    const result = await cli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['brand create', 'brand list', 'brand get', 'brand update', 'brand token', 'channel add-twilio', 'channel add-facebook', 'channel list', 'channel update', 'setup twilio', 'setup facebook']) {
      expect(result.stdout).toContain(command);
    }
  });

  it('exits 1 saying it cannot reach the API when nothing listens at --api', async () => {
    const result = await cli(['brand', 'list', '--api', `http://127.0.0.1:${await freePort()}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot reach the API .*\(unreachable\)/);
  });
});

describe('admin CLI: admin token', () => {
  it('reads the admin token from DATA_DIR/dev-secrets.json when ADMIN_TOKEN is unset', async () => {
    const dataDir = path.join(tempDir, 'data');
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(dataDir, { recursive: true });
    await writeFile(path.join(dataDir, 'dev-secrets.json'), JSON.stringify({ operatorToken: 'x'.repeat(48), adminToken: testAdminToken }), { mode: 0o600 });
    const brand = uniqueBrandId();
    const result = await cli(['brand', 'create', '--id', brand, '--name', 'From file'], { ADMIN_TOKEN: undefined, DATA_DIR: dataDir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect((await admin('GET', `/api/v1/admin/brands/${brand}`)).status).toBe(200);
  });

  it('exits 1 explaining where the token comes from when neither ADMIN_TOKEN nor dev-secrets.json exists', async () => {
    const result = await cli(['brand', 'list'], { ADMIN_TOKEN: undefined, DATA_DIR: path.join(tempDir, 'empty') });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ADMIN_TOKEN');
    expect(result.stderr).toContain('dev-secrets.json');
  });
});

describe('admin CLI: users', () => {
  it('user create makes a brand\'s first admin, who can then sign in; the password is never printed', async () => {
    const brand = uniqueBrandId();
    expect((await admin('POST', '/api/v1/admin/brands', { id: brand, name: 'Acme' })).status).toBe(201);
    const password = canary('password');
    const result = await cli(['user', 'create', '--brand', brand, '--email', 'boss@example.com', '--name', 'Boss'], { SWITCHBOARD_USER_PASSWORD: password });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Created user boss@example\.com \(admin\)/);
    expect(result.stdout + result.stderr).not.toContain(password);
    const session = await call({ system }, 'POST', '/api/v1/auth/login', '', { brandId: brand, email: 'boss@example.com', password });
    expect(session.status).toBe(200);
  });
});

describe('admin CLI: API tokens', () => {
  it('brand token --expires-in-days issues an expiring token; brand revoke-token turns it away with 401', async () => {
    const brand = uniqueBrandId();
    expect((await cli(['brand', 'create', '--id', brand, '--name', 'Acme'])).code).toBe(0);
    const issued = await cli(['brand', 'token', '--id', brand, '--expires-in-days', '30', '--json']);
    expect(issued.code, issued.stderr).toBe(0);
    const { apiToken, brand: view } = JSON.parse(issued.stdout) as { apiToken: string; brand: { apiTokens: { id: string; expiresAt?: string }[] } };
    const record = view.apiTokens.find((token) => token.expiresAt)!;
    expect((await call({ system }, 'GET', '/api/v1/conversations', apiToken)).status).toBe(200);
    const revoked = await cli(['brand', 'revoke-token', '--id', brand, '--token', record.id]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`Revoked API token ${record.id}`);
    expect((await call({ system }, 'GET', '/api/v1/conversations', apiToken)).status).toBe(401);
    const again = await cli(['brand', 'revoke-token', '--id', brand, '--token', record.id]);
    expect([again.code, again.stderr]).toEqual([1, expect.stringContaining('api_token_not_found')]);
  });
});
