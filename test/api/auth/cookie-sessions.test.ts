import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventLog } from '../../../db/repositories/events.js';
import { addUser, idleFor, newTenant, request, sha256, temporaryPassword, uniqueId, type Account, type Tenant } from '../../support/accounts.js';
import { readJson } from '../../support/http.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';
import { takeSseEvents, type SseEvent } from '../../support/workspace.js';

// The web console's sessions: the token in an HttpOnly cookie, changing requests proven by X-CSRF-Token.
let system: TestSystem;
let tenant: Tenant;
beforeAll(async () => {
  system = await startTestSystem();
  tenant = await newTenant(system);
}, 60_000);
afterAll(() => system?.stop());

interface Exchange {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** This response's sb_session Set-Cookie header, if any. */
  setCookie?: string;
}

/** A request as the console's page (or someone else's) sends it: the cookie, maybe a CSRF token, maybe a bearer token. */
async function send(
  target: TestSystem, method: string, path: string, options: { cookie?: string; csrf?: string; token?: string; body?: unknown } = {},
): Promise<Exchange> {
  const response = await fetch(`${target.url}${path}`, {
    method,
    headers: {
      ...(options.cookie ? { cookie: `theme=dark; sb_session=${options.cookie}` } : {}),
      ...(options.csrf ? { 'x-csrf-token': options.csrf } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const setCookie = response.headers.getSetCookie().find((header) => header.startsWith('sb_session='));
  return { status: response.status, body: response.status === 204 ? undefined : await readJson(response), ...(setCookie ? { setCookie } : {}) };
}

/** The cookie's value and attributes, as a browser reads Set-Cookie. */
function parseSetCookie(header: string | undefined): { value: string; attributes: string[] } {
  expect(header, 'a sb_session Set-Cookie header').toBeDefined();
  const [pair, ...attributes] = header!.split(';').map((part) => part.trim());
  return { value: pair!.slice('sb_session='.length), attributes };
}

const expectCleared = (header: string | undefined) => {
  const { value, attributes } = parseSetCookie(header);
  expect(value).toBe('');
  expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/', 'Max-Age=0']));
};

interface CookieSession {
  cookie: string;
  csrfToken: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  setCookie: string;
}

async function cookieLogin(account: Pick<Account, 'email' | 'password'>, target = system, brandId = tenant.brandId): Promise<CookieSession> {
  const response = await send(target, 'POST', '/api/v1/auth/login', { body: { brandId, email: account.email, password: account.password, session: 'cookie' } });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return { cookie: parseSetCookie(response.setCookie).value, csrfToken: response.body.csrfToken, body: response.body, setCookie: response.setCookie! };
}

/** Each test signs in a user of its own: sign-ins are rate limited per address and email. */
const signedInAgent = async () => {
  const agent = await addUser(system, tenant);
  return { agent, session: await cookieLogin(agent) };
};

const sessions = () => system.services.database.db.collection<{ _id: string; expiresAt: Date }>('sessions');
const me = (session: Pick<CookieSession, 'cookie'>) => send(system, 'GET', '/api/v1/me', { cookie: session.cookie });
const setAway = (options: { cookie?: string; csrf?: string; token?: string }) =>
  send(system, 'PUT', '/api/v1/me/availability', { ...options, body: { availability: 'away' } });

describe('cookie sessions for the web console', () => {
  it('sets an HttpOnly, SameSite=Strict, Path=/ session cookie lasting 12 hours and leaves the token out of the body', async () => {
    const { agent, session } = await signedInAgent();
    const { value, attributes } = parseSetCookie(session.setCookie);
    expect(value).toMatch(/^sbs_[A-Za-z0-9_-]{43}$/);
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/', `Max-Age=${12 * 60 * 60}`]));
    expect(Object.keys(session.body).sort()).toEqual(['csrfToken', 'expiresAt', 'user']);
    expect(session.body.user).toMatchObject({ id: agent.id, email: agent.email });
    expect(JSON.stringify(session.body)).not.toContain(value);
  });

  it('leaves the Secure attribute off when PUBLIC_BASE_URL is plain http', async () => {
    const { session } = await signedInAgent();
    expect(parseSetCookie(session.setCookie).attributes.map((attribute) => attribute.toLowerCase())).not.toContain('secure');
  });

  it('marks the cookie Secure, when set and when cleared, if PUBLIC_BASE_URL is https', async () => {
    const secure = await startTestSystem({ env: { PUBLIC_BASE_URL: 'https://console.example.com' } });
    try {
      const other = await newTenant(secure);
      const session = await cookieLogin(other.admin, secure, other.brandId);
      expect(parseSetCookie(session.setCookie).attributes).toContain('Secure');
      const logout = await send(secure, 'POST', '/api/v1/auth/logout', { cookie: session.cookie, csrf: session.csrfToken });
      expect(logout.status).toBe(204);
      expectCleared(logout.setCookie);
      expect(parseSetCookie(logout.setCookie).attributes).toContain('Secure');
    } finally {
      await secure.stop();
    }
  }, 60_000);

  it('signs GET /me in with the cookie alone and gives back the session\'s CSRF token', async () => {
    const { agent, session } = await signedInAgent();
    const response = await me(session);
    expect(response.status).toBe(200);
    expect(response.body.user.id).toBe(agent.id);
    expect(response.body.csrfToken).toBe(session.csrfToken);
    expect(response.setCookie).toBeUndefined();
  });

  it('still gives integrations the token in the body, with no cookie, and needs no CSRF token from a bearer', async () => {
    const agent = await addUser(system, tenant);
    const login = await send(system, 'POST', '/api/v1/auth/login', { body: { brandId: tenant.brandId, email: agent.email, password: agent.password } });
    expect(login.status).toBe(200);
    expect(Object.keys(login.body).sort()).toEqual(['expiresAt', 'token', 'user']);
    expect(login.setCookie).toBeUndefined();
    const described = await request(system, 'GET', '/api/v1/me', { token: login.body.token });
    expect(described.body).not.toHaveProperty('csrfToken');
    expect((await setAway({ token: login.body.token })).status).toBe(200);
    expect((await send(system, 'POST', '/api/v1/auth/logout', { token: login.body.token })).status).toBe(204);
  });

  it('refuses a cookie-signed PUT without X-CSRF-Token with 403 csrf_failed, and changes nothing', async () => {
    const { session } = await signedInAgent();
    const refused = await setAway({ cookie: session.cookie });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'csrf_failed']);
    expect(refused.body.error.message).toContain('X-CSRF-Token');
    expect((await me(session)).body.user.availability).toBe('offline');
  });

  it('refuses a cookie-signed logout without X-CSRF-Token, and the session goes on', async () => {
    const { session } = await signedInAgent();
    const refused = await send(system, 'POST', '/api/v1/auth/logout', { cookie: session.cookie });
    expect([refused.status, refused.body.error.code, refused.setCookie]).toEqual([403, 'csrf_failed', undefined]);
    expect((await me(session)).status).toBe(200);
  });

  it('refuses a cookie-signed PUT whose X-CSRF-Token is wrong with 403 csrf_failed', async () => {
    const { session } = await signedInAgent();
    const refused = await setAway({ cookie: session.cookie, csrf: `${session.csrfToken.slice(0, -2)}xx` });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'csrf_failed']);
    expect((await me(session)).body.user.availability).toBe('offline');
  });

  it('accepts a cookie-signed PUT with the session\'s X-CSRF-Token', async () => {
    const { session } = await signedInAgent();
    const accepted = await setAway({ cookie: session.cookie, csrf: session.csrfToken });
    expect([accepted.status, accepted.body.availability]).toEqual([200, 'away']);
    expect((await me(session)).body.user.availability).toBe('away');
  });

  it('refuses the CSRF token of another cookie session, even of the same user', async () => {
    const agent = await addUser(system, tenant);
    const [first, second] = [await cookieLogin(agent), await cookieLogin(agent)];
    expect(first.csrfToken).not.toBe(second.csrfToken);
    const refused = await setAway({ cookie: first.cookie, csrf: second.csrfToken });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'csrf_failed']);
  });

  it('lets an Authorization header win over the cookie: its principal, and no CSRF token needed', async () => {
    const agent = await addUser(system, tenant);
    const other = await signedInAgent();
    const described = await send(system, 'GET', '/api/v1/me', { cookie: other.session.cookie, token: agent.token });
    expect(described.body.user.id).toBe(agent.id);
    expect(described.body).not.toHaveProperty('csrfToken');
    expect((await setAway({ cookie: other.session.cookie, token: agent.token })).status).toBe(200);
    expect((await me(other.session)).body.user.availability).toBe('offline');
  });

  it('accepts only a session token from the cookie: a brand API token there is 401 and cleared', async () => {
    const response = await send(system, 'GET', '/api/v1/me', { cookie: tenant.apiToken });
    expect(response.status).toBe(401);
    expectCleared(response.setCookie);
  });

  it('signs out on logout: 204, the cookie cleared with the same attributes, and the session no longer works', async () => {
    const { session } = await signedInAgent();
    const logout = await send(system, 'POST', '/api/v1/auth/logout', { cookie: session.cookie, csrf: session.csrfToken });
    expect(logout.status).toBe(204);
    expectCleared(logout.setCookie);
    expect(await sessions().findOne({ _id: sha256(session.cookie) })).toBeNull();
    expect((await me(session)).status).toBe(401);
  });

  it('clears the cookie when logging out of a session that had already ended (401 session_expired)', async () => {
    const { session } = await signedInAgent();
    await idleFor(system, session.cookie, 16);
    const logout = await send(system, 'POST', '/api/v1/auth/logout', { cookie: session.cookie, csrf: session.csrfToken });
    expect([logout.status, logout.body.error.code]).toEqual([401, 'session_expired']);
    expectCleared(logout.setCookie);
  });

  it('changes the password over the cookie: a new cookie and CSRF token, no token in the body, and the old cookie signed out', async () => {
    const agent = await addUser(system, tenant);
    const old = await cookieLogin(agent);
    const changed = await send(system, 'POST', '/api/v1/me/password', {
      cookie: old.cookie, csrf: old.csrfToken, body: { currentPassword: agent.password, newPassword: 'a-cookie-session-password-1' },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(Object.keys(changed.body).sort()).toEqual(['csrfToken', 'expiresAt', 'user']);
    const { value, attributes } = parseSetCookie(changed.setCookie);
    expect(value).toMatch(/^sbs_/);
    expect(value).not.toBe(old.cookie);
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/', `Max-Age=${12 * 60 * 60}`]));
    const renewed = await me({ cookie: value });
    expect([renewed.status, renewed.body.csrfToken]).toEqual([200, changed.body.csrfToken]);
    expect(changed.body.csrfToken).not.toBe(old.csrfToken);
    const before = await me(old);
    expect(before.status).toBe(401);
    expectCleared(before.setCookie);
  });

  it('lets a user whose password an administrator set replace it over the cookie, then work', async () => {
    const user = { email: `${uniqueId('first')}@example.com`, password: temporaryPassword() };
    const created = await request(system, 'POST', '/api/v1/users', {
      token: tenant.admin.token, body: { email: user.email, password: user.password, name: 'New Agent', profile: 'agent' },
    });
    expect(created.status).toBe(201);
    const first = await cookieLogin(user);
    expect((await me(first)).body.user.passwordChangeRequired).toBe(true);
    expect((await setAway({ cookie: first.cookie, csrf: first.csrfToken })).body.error.code).toBe('password_change_required');
    const changed = await send(system, 'POST', '/api/v1/me/password', {
      cookie: first.cookie, csrf: first.csrfToken, body: { currentPassword: user.password, newPassword: 'my-own-console-password-1' },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const own = { cookie: parseSetCookie(changed.setCookie).value, csrfToken: changed.body.csrfToken as string };
    expect((await setAway({ cookie: own.cookie, csrf: own.csrfToken })).status).toBe(200);
  });

  it('clears the cookie on the 401 of a session past its 12-hour expiry', async () => {
    const { session } = await signedInAgent();
    await sessions().updateOne({ _id: sha256(session.cookie) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const response = await me(session);
    expect([response.status, response.body.error.code]).toEqual([401, 'session_expired']);
    expectCleared(response.setCookie);
  });

  it('clears the cookie on the 401 of a session that never existed or was revoked', async () => {
    const response = await me({ cookie: `sbs_${'A'.repeat(43)}` });
    expect([response.status, response.body.error.code]).toEqual([401, 'unauthorized']);
    expectCleared(response.setCookie);
  });

  it('sets no cookie on the 401 of a bearer token', async () => {
    const response = await send(system, 'GET', '/api/v1/me', { token: `sbs_${'A'.repeat(43)}` });
    expect([response.status, response.setCookie]).toEqual([401, undefined]);
  });

  it('streams live events to a session held only in the cookie', async () => {
    const { agent, session } = await signedInAgent();
    const log = new EventLog(system.services.database.db);
    const lastEventId = String(await log.latestSeq(tenant.brandId));
    const controller = new AbortController();
    const deadline = setTimeout(() => controller.abort(), 15_000);
    try {
      const response = await fetch(`${system.url}/api/v1/events`, {
        headers: { cookie: `sb_session=${session.cookie}`, 'last-event-id': lastEventId }, signal: controller.signal,
      });
      expect(response.status).toBe(200);
      await log.append({ brandId: tenant.brandId, key: 'cookie-stream', type: 'message.created', audience: [agent.id], data: { conversationId: 'c-cookie', key: 'cookie-stream' } });
      const events: SseEvent[] = [];
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body!) {
        buffer = takeSseEvents(buffer + decoder.decode(chunk, { stream: true }), events);
        if (events.some((event) => event.data.key === 'cookie-stream')) break;
      }
      expect(events.map((event) => [event.type, event.data.key])).toEqual([['message.created', 'cookie-stream']]);
    } finally {
      clearTimeout(deadline);
      controller.abort();
    }
  });
});
