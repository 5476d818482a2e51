import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionNames } from '../../api/auth/principal.js';
import { BRAND_NUMBER, call, inboundSms, startConnectorWorld, type ConnectorWorld } from '../support/connectors.js';
import { readJson } from '../support/http.js';
import { OTHER_BRAND_NUMBER, startOtherBrand, type OtherBrand } from '../support/isolation.js';
import { waitFor } from '../support/wait-for.js';
import { addAgent, type Agent } from '../support/workspace.js';

/**
 * Strict brand isolation: a principal of brand A never sees or changes brand
 * B's objects, and cannot even tell they exist (404, as for an id nobody has).
 * The routes come from /openapi.json (everything under /api/v1/ but admin and
 * login), so a new brand route is attacked as soon as it is documented:
 * - with a path parameter: B's object of that kind goes in the path; the answer
 *   must be 404, or 403 permission_denied (the permission check comes before
 *   any lookup, so it reveals nothing), and must equal the answer for an id
 *   nobody has. Never 2xx, 400 or 409 (which would say "it exists"); never 401
 *   either, since every attacker's token is valid.
 * - GET without path parameters (lists, the event stream): no id of B's may
 *   appear anywhere in the answer.
 * - Other writes without path parameters act on the caller's own brand; they
 *   can name B's objects only in queries and bodies: see the last describes.
 */

interface OpenApiOperation {
  operationId: string;
  requestBody?: unknown;
  responses?: Record<string, { content?: Record<string, unknown> }>;
}
/** What one request answered for B's ids, and for ids nobody has (the control). */
interface Outcome {
  route: string;
  status: number;
  code?: string;
  control: { status: number; code?: string };
}
interface Operation {
  method: string;
  path: string;
  operationId: string;
  pathParams: string[];
  hasBody: boolean;
  streams: boolean;
}

let world: ConnectorWorld;
let b: OtherBrand;
let operations: Operation[];
const a = { conversationId: '', profileId: '', agents: {} as Record<'admin' | 'manager' | 'agent', Agent> };
/** The same person writes to both brands: their conversations must still be two, each visible only in its brand. */
const consumer = '+14155557777';

/** The principals of brand A that attack: a user of each built-in profile, and the brand's integration token. */
const attackers = ['admin', 'manager', 'agent', 'integration'] as const;
type Attacker = (typeof attackers)[number];
const tokenOf = (attacker: Attacker) => (attacker === 'integration' ? world.apiToken : a.agents[attacker].token);

/**
 * Which of B's objects a path parameter names. Every path parameter of a brand
 * route must be here: a new parameter fails "names one of B's objects for every
 * path parameter" until it gets a B object of its kind.
 */
const otherBrandObject: Record<string, (brand: OtherBrand) => string> = {
  conversationId: (brand) => brand.conversation.id,
  userId: (brand) => brand.user.id,
  profileId: (brand) => brand.profile.id,
  messageId: (brand) => brand.message.id,
  formId: (brand) => brand.form.id,
  channelId: (brand) => brand.twilioChannelId,
  brandId: (brand) => brand.brandId,
};
/** The control: an id of the same kind that exists in no brand. A must not be able to tell B's id from it. */
const nobodysId = (param: string) => `${param.replace(/Id$/, '')}_${randomBytes(8).toString('hex')}`;

/**
 * Valid bodies, so validation (400) cannot hide what the handler would do; each
 * one would harm B if it got through. Operations not listed get `{}`.
 */
const bodies: Record<string, unknown> = {
  replyToConversation: { text: 'Brand A writing to brand B\'s consumer' },
  sendSecureForm: { templateId: 'card-payment' },
  revealSecureForm: { key: 'A'.repeat(43) },
  closeConversation: { reason: 'closed by brand A' },
  transferConversation: { toQueueId: 'sales', note: 'moved by brand A' },
  reopenConversation: {},
  updateUser: { name: 'Renamed by brand A', status: 'disabled' },
  resetUserPassword: { password: `taken-over-${randomBytes(12).toString('base64url')}` },
  updateProfile: { role: 'admin', permissions: [...permissionNames] },
};

/** Strings of B's that must never appear in a response to A: ids, B's account SID and number. */
const otherBrandMarkers = () => [
  b.brandId, b.conversation.id, b.conversation.consumerId, b.message.id, b.user.id, b.admin.id, b.profile.id, b.twilioChannelId, b.accountSid, OTHER_BRAND_NUMBER,
];
const leaksIn = (text: string) => otherBrandMarkers().filter((marker) => text.includes(marker));

function brandOperations(document: { paths: Record<string, Record<string, OpenApiOperation>> }): Operation[] {
  return Object.entries(document.paths)
    .filter(([path]) => path.startsWith('/api/v1/') && !path.startsWith('/api/v1/admin/') && path !== '/api/v1/auth/login')
    .flatMap(([path, byMethod]) =>
      Object.entries(byMethod).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        operationId: operation.operationId,
        pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!),
        hasBody: operation.requestBody !== undefined,
        streams: Object.keys(operation.responses?.['200']?.content ?? {}).includes('text/event-stream'),
      })),
    );
}

const withParams = (operation: Operation, value: (param: string) => string) =>
  operation.path.replace(/\{([^}]+)\}/g, (_whole, param: string) => encodeURIComponent(value(param)));

const send = (operation: Operation, token: string, value: (param: string) => string) =>
  call(world, operation.method, withParams(operation, value), token, operation.hasBody ? (bodies[operation.operationId] ?? {}) : undefined);

/** Reads an event stream from its very first event (Last-Event-ID: 0) for a while; returns the status and all text seen. */
async function readStream(path: string, token: string, ms = 1_500) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  let status = 0;
  let text = '';
  try {
    const response = await fetch(`${world.system.url}${path}`, { headers: { authorization: `Bearer ${token}`, 'last-event-id': '0' }, signal: controller.signal });
    status = response.status;
    const decoder = new TextDecoder();
    for await (const chunk of response.body!) text += decoder.decode(chunk, { stream: true });
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return { status, text };
}

beforeAll(async () => {
  world = await startConnectorWorld();
  expect((await inboundSms(world, { from: consumer, body: 'hello Acme' })).status).toBe(200);
  b = await startOtherBrand(world, consumer);
  const [admin, manager, agent] = await Promise.all([
    addAgent(world, { profile: 'admin', skills: ['sales'] }),
    addAgent(world, { profile: 'manager', skills: ['sales'] }),
    // Works queue "sales", where B's conversation waits too (in B).
    addAgent(world, { profile: 'agent', skills: ['sales'] }),
  ]);
  a.agents = { admin, manager, agent };
  const profile = await call(world, 'POST', '/api/v1/profiles', admin.token, { name: `a-only-${randomBytes(3).toString('hex')}`, role: 'agent', permissions: ['conversation.view'] });
  expect(profile.status, JSON.stringify(profile.body)).toBe(201);
  a.profileId = profile.body.id as string;
  const [conversation] = await waitFor(
    async () => ((await call(world, 'GET', '/api/v1/conversations', world.apiToken)).body.items as { id: string; entryPointId: string }[])
      .filter((item) => item.entryPointId.endsWith(BRAND_NUMBER)),
    (items) => items.length === 1,
  );
  a.conversationId = conversation!.id;
  operations = brandOperations(await readJson(await fetch(`${world.system.url}/openapi.json`)));
}, 120_000);
afterAll(() => world?.stop());

describe('brand B, the brand under attack', () => {
  it('can read its own conversation, transcript, user and profile, so the 404s below are about brands and not bad ids', async () => {
    const conversation = await call(world, 'GET', `/api/v1/conversations/${encodeURIComponent(b.conversation.id)}`, b.admin.token);
    expect(conversation.status, JSON.stringify(conversation.body)).toBe(200);
    expect(conversation.body).toMatchObject({ id: b.conversation.id, consumer: { id: b.conversation.consumerId } });
    expect((await call(world, 'GET', `/api/v1/conversations/${encodeURIComponent(b.conversation.id)}`, b.apiToken)).status).toBe(200);
    const transcript = await call(world, 'GET', `/api/v1/conversations/${encodeURIComponent(b.conversation.id)}/messages`, b.admin.token);
    expect(transcript.body.items.map((m: { id: string }) => m.id)).toEqual([b.message.id]);
    expect((await call(world, 'GET', `/api/v1/users/${b.user.id}`, b.admin.token)).status).toBe(200);
    expect((await call(world, 'GET', '/api/v1/profiles', b.admin.token)).body.items.map((p: { id: string }) => p.id)).toContain(b.profile.id);
  });

  it('has a conversation of its own for the consumer who also wrote to brand A', () => {
    expect(b.conversation.id).not.toBe(a.conversationId);
  });
});

describe('every brand route with a path parameter, walked from /openapi.json', () => {
  const pathOperations = () => operations.filter((operation) => operation.pathParams.length > 0);

  it('names one of B\'s objects for every path parameter', () => {
    const unmapped = pathOperations().flatMap((operation) =>
      operation.pathParams.filter((param) => !otherBrandObject[param]).map((param) => `${operation.method} ${operation.path}: {${param}}`),
    );
    expect(unmapped).toEqual([]);
    // The walker finds the routes it must (a broken filter would walk nothing and pass).
    expect(pathOperations().map((operation) => operation.operationId)).toEqual(
      expect.arrayContaining(['getConversation', 'listMessages', 'replyToConversation', 'closeConversation', 'getUser', 'updateUser', 'updateProfile']),
    );
  });

  it.each(attackers)('answers A\'s %s with 404 (or permission_denied) for B\'s objects, exactly as for ids nobody has', async (attacker) => {
    const token = tokenOf(attacker);
    const results: Outcome[] = [];
    for (const operation of pathOperations()) {
      const other = await send(operation, token, (param) => otherBrandObject[param]?.(b) ?? nobodysId(param));
      const control = await send(operation, token, nobodysId);
      results.push({
        route: `${operation.method} ${operation.path}`,
        status: other.status, code: other.body?.error?.code as string | undefined,
        control: { status: control.status, code: control.body?.error?.code as string | undefined },
      });
    }
    const allowed = (r: Outcome) => r.status === 404 || (r.status === 403 && r.code === 'permission_denied');
    const violations = results.filter((r) => !allowed(r) || r.status !== r.control.status || r.code !== r.control.code);
    expect(violations).toEqual([]);
    // An admin holds every permission it takes to reach the lookup: nothing may stop it before the 404.
    if (attacker === 'admin') expect(results.filter((r) => r.status !== 404)).toEqual([]);
  });
});

describe('every brand read without path parameters (lists, streams), walked from /openapi.json', () => {
  const reads = () => operations.filter((operation) => operation.method === 'GET' && operation.pathParams.length === 0);
  /** Queries that name B's objects or widen the view: still only A's data. */
  const reportRange = `from=${encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`;
  const variants = (operation: Operation) =>
    ({
      '/api/v1/conversations': ['', '?view=all&limit=100', '?view=queue&limit=100', '?view=mine', '?status=open&limit=100'],
      '/api/v1/audit': ['?limit=200', `?targetId=${encodeURIComponent(b.user.id)}`, `?targetId=${encodeURIComponent(b.conversation.id)}`, `?targetId=${b.profile.id}`],
      // Reports need a range: one that covers everything seeded here.
      '/api/v1/reports/volumes': [`?${reportRange}&granularity=day&groupBy=channel`, `?${reportRange}&granularity=hour&groupBy=entryPoint`],
      '/api/v1/reports/summary': [`?${reportRange}`],
    })[operation.path] ?? [''];

  async function read(operation: Operation, token: string, query = '') {
    if (operation.streams) {
      const stream = await readStream(`${operation.path}${query}`, token);
      return { status: stream.status, code: undefined, text: stream.text };
    }
    const response = await call(world, 'GET', `${operation.path}${query}`, token);
    return { status: response.status, code: response.body?.error?.code as string | undefined, text: JSON.stringify(response.body) };
  }

  it('includes the lists and the event stream', () => {
    expect(reads().map((operation) => operation.path)).toEqual(
      expect.arrayContaining(['/api/v1/conversations', '/api/v1/users', '/api/v1/profiles', '/api/v1/audit', '/api/v1/events']),
    );
    expect(reads().find((operation) => operation.path === '/api/v1/events')?.streams).toBe(true);
  });

  it.each(attackers)('never shows A\'s %s an id of B\'s', async (attacker) => {
    const token = tokenOf(attacker);
    const results: { route: string; status: number; code?: string; leaks: string[] }[] = [];
    for (const operation of reads()) {
      for (const query of variants(operation)) {
        const response = await read(operation, token, query);
        results.push({ route: `GET ${operation.path}${query}`, status: response.status, code: response.code, leaks: leaksIn(response.text) });
      }
    }
    // A refusal (403: permission_denied, or user_session_required for an integration on /me) shows nothing either.
    const violations = results.filter((r) => r.leaks.length > 0 || ![200, 403].includes(r.status));
    expect(violations).toEqual([]);
  });

  it('counts only A\'s agents and waiting conversations in A\'s queue summary (numbers an id search cannot catch)', async () => {
    // Both brands have a queue "sales" with agents and a waiting conversation in it.
    const users = (await call(world, 'GET', '/api/v1/users', a.agents.admin.token)).body.items as { skills: string[]; status: string }[];
    const expected = { queueId: 'sales', agents: { total: users.filter((user) => user.status === 'active' && user.skills.includes('sales')).length }, waiting: 1 };
    expect(expected.agents.total).toBeGreaterThan(0);
    await expect
      .poll(async () => ((await call(world, 'GET', '/api/v1/queues', a.agents.admin.token)).body.items as { queueId: string }[]).find((queue) => queue.queueId === 'sales'), { timeout: 15_000 })
      .toMatchObject(expected);
  });

  it('shows A\'s admin A\'s own objects in those same responses, so the search would find B\'s', async () => {
    const own: Record<string, string> = {
      '/api/v1/conversations': a.conversationId, '/api/v1/users': a.agents.agent.id, '/api/v1/profiles': a.profileId, '/api/v1/audit': a.profileId,
    };
    for (const [path, id] of Object.entries(own)) {
      const response = await call(world, 'GET', path, a.agents.admin.token);
      expect(response.status, path).toBe(200);
      expect(JSON.stringify(response.body), path).toContain(id);
    }
    await expect.poll(async () => (await readStream('/api/v1/events', a.agents.admin.token, 1_000)).text, { timeout: 15_000 }).toContain(a.conversationId);
  });
});

describe('A\'s own routes, naming B\'s objects in queries and bodies', () => {
  it('refuses a transcript cursor of B\'s message exactly as one nobody has', async () => {
    const path = (after: string) => `/api/v1/conversations/${encodeURIComponent(a.conversationId)}/messages?after=${encodeURIComponent(after)}`;
    const [other, control] = [await call(world, 'GET', path(b.message.id), world.apiToken), await call(world, 'GET', path(nobodysId('message')), world.apiToken)];
    expect({ status: other.status, code: other.body?.error?.code }).toEqual({ status: control.status, code: control.body?.error?.code });
  });

  it('refuses to transfer A\'s conversation to B\'s user exactly as to a user nobody has', async () => {
    const path = `/api/v1/conversations/${encodeURIComponent(a.conversationId)}/transfer`;
    const other = await call(world, 'POST', path, world.apiToken, { toAgentId: b.user.id });
    const control = await call(world, 'POST', path, world.apiToken, { toAgentId: nobodysId('user') });
    expect(other.status).not.toBe(200);
    expect({ status: other.status, code: other.body?.error?.code }).toEqual({ status: control.status, code: control.body?.error?.code });
    const conversation = await call(world, 'GET', `/api/v1/conversations/${encodeURIComponent(a.conversationId)}`, world.apiToken);
    expect(conversation.body.agentId).toBeUndefined();
  });

  it('keeps B\'s profile names unknown to A, and lets A take them and B\'s user emails for its own objects', async () => {
    const token = a.agents.admin.token;
    const newUser = (email: string, profile: string) => ({ email, name: 'A user', profile, password: `pw-${randomBytes(16).toString('base64url')}` });
    const other = await call(world, 'POST', '/api/v1/users', token, newUser(`a-${randomBytes(3).toString('hex')}@example.com`, `custom:${b.profile.name}`));
    const control = await call(world, 'POST', '/api/v1/users', token, newUser(`a-${randomBytes(3).toString('hex')}@example.com`, 'custom:nobodys-profile'));
    expect({ status: other.status, code: other.body?.error?.code }).toEqual({ status: 400, code: 'unknown_profile' });
    expect({ status: control.status, code: control.body?.error?.code }).toEqual({ status: 400, code: 'unknown_profile' });
    const patched = await call(world, 'PATCH', `/api/v1/users/${a.agents.agent.id}`, token, { profile: `custom:${b.profile.name}` });
    expect({ status: patched.status, code: patched.body?.error?.code }).toEqual({ status: 400, code: 'unknown_profile' });

    // Names and emails are per brand: a 409 here would tell A that B has them.
    const sameName = await call(world, 'POST', '/api/v1/profiles', token, { name: b.profile.name, role: 'agent', permissions: ['conversation.view'] });
    expect(sameName.status, JSON.stringify(sameName.body)).toBe(201);
    expect(sameName.body.id).not.toBe(b.profile.id);
    const sameEmail = await call(world, 'POST', '/api/v1/users', token, newUser(b.user.email, 'agent'));
    expect(sameEmail.status, JSON.stringify(sameEmail.body)).toBe(201);
    expect(sameEmail.body.id).not.toBe(b.user.id);
  });

  it('does not sign B\'s admin in to brand A', async () => {
    const other = await call(world, 'POST', '/api/v1/auth/login', '', { brandId: world.brandId, email: b.admin.email, password: b.admin.password });
    const control = await call(world, 'POST', '/api/v1/auth/login', '', { brandId: world.brandId, email: `nobody-${randomBytes(3).toString('hex')}@example.com`, password: b.admin.password });
    expect({ status: other.status, code: other.body?.error?.code }).toEqual({ status: 401, code: 'invalid_credentials' });
    expect({ status: control.status, code: control.body?.error?.code }).toEqual({ status: 401, code: 'invalid_credentials' });
  });
});

describe('after every attack', () => {
  it('leaves B\'s conversation, transcript, user and profile as they were', async () => {
    const conversation = await call(world, 'GET', `/api/v1/conversations/${encodeURIComponent(b.conversation.id)}`, b.admin.token);
    expect(conversation.status).toBe(200);
    expect(conversation.body.status).toBe('open');
    expect(conversation.body.agentId).toBeUndefined();
    const transcript = await call(world, 'GET', `/api/v1/conversations/${encodeURIComponent(b.conversation.id)}/messages`, b.admin.token);
    expect(transcript.body.items.map((m: { id: string }) => m.id)).toEqual([b.message.id]);
    const user = await call(world, 'GET', `/api/v1/users/${b.user.id}`, b.admin.token);
    expect(user.body).toMatchObject({ name: 'Globex Agent', status: 'active', profile: `custom:${b.profile.name}` });
    const profiles = (await call(world, 'GET', '/api/v1/profiles', b.admin.token)).body.items as { id: string; role: string; permissions: string[] }[];
    expect(profiles.find((profile) => profile.id === b.profile.id)).toMatchObject({ role: 'agent', permissions: ['conversation.view', 'conversation.reply'] });
    expect((await call(world, 'GET', '/api/v1/me', b.admin.token)).status).toBe(200);
  });
});
