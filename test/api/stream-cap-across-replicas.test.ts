import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EventStreams, maxStreamsPerPrincipal, streamKey } from '../../api/routes/events.js';
import { Collections } from '../../db/collections.js';
import { StreamSlots } from '../../db/repositories/stream-slots.js';
import { addUser, newTenant, type Tenant } from '../support/accounts.js';
import { readJson } from '../support/http.js';
import { startTestSystem, type TestSystem } from '../support/system.js';
import { waitFor } from '../support/wait-for.js';

// Two API replicas in this process on one database: open event streams are counted there, not per process.
let replicaA: TestSystem;
let replicaB: TestSystem;
let tenant: Tenant;
beforeAll(async () => {
  replicaA = await startTestSystem();
  replicaB = await startTestSystem({ env: { MONGODB_DB: replicaA.settings.mongo.dbName } });
  tenant = await newTenant(replicaA);
}, 60_000);
afterAll(async () => {
  await replicaB?.stop();
  await replicaA?.stop();
});

const opened: AbortController[] = [];
// Open responses stay referenced until the test ends: a collected, unread fetch body is cancelled, closing its stream.
const openResponses: Response[] = [];
afterEach(() => {
  for (const controller of opened.splice(0)) controller.abort();
  openResponses.splice(0);
});

/** Opens an event stream on `replica` and keeps it open (until the test ends); returns its status and, when refused, the error. */
async function openStream(replica: { url: string }, token: string) {
  const controller = new AbortController();
  const response = await fetch(`${replica.url}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  if (response.status === 200) {
    opened.push(controller);
    openResponses.push(response);
    return { status: 200, controller };
  }
  const body = await readJson(response);
  return { status: response.status, code: body.error?.code as string | undefined, controller };
}

const slots = () => replicaA.services.database.db.collection<{ _id: string; streamId?: string; expiresAt: Date }>(Collections.streamSlots);
const keyOf = (userId: string) => streamKey({ kind: 'user', brandId: tenant.brandId, userId });
const slotsOf = (userId: string) => slots().find({ _id: { $regex: `^${keyOf(userId)}#\\d+$` } }).toArray();

describe('the cap of open event streams across API replicas', () => {
  it('refuses a sixth stream on either replica when 3 are open on one and 2 on the other', async () => {
    const agent = await addUser(replicaA, tenant, { profile: 'agent' });
    for (let i = 0; i < 3; i++) expect((await openStream(replicaA, agent.token)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await openStream(replicaB, agent.token)).status).toBe(200);

    const onA = await openStream(replicaA, agent.token);
    const onB = await openStream(replicaB, agent.token);
    expect([onA.status, onA.code]).toEqual([429, 'too_many_streams']);
    expect([onB.status, onB.code]).toEqual([429, 'too_many_streams']);
  });

  it('gives a slot freed on one replica to a stream on the other', async () => {
    const agent = await addUser(replicaA, tenant, { profile: 'agent' });
    const onA = [];
    for (let i = 0; i < 3; i++) onA.push(await openStream(replicaA, agent.token));
    for (let i = 0; i < 2; i++) await openStream(replicaB, agent.token);
    expect((await openStream(replicaB, agent.token)).code).toBe('too_many_streams');

    onA[0]!.controller.abort();
    const reopened = await waitFor(() => openStream(replicaB, agent.token), (attempt) => attempt.status === 200, 10_000);
    expect(reopened.status).toBe(200);
    expect((await openStream(replicaA, agent.token)).code).toBe('too_many_streams');
  });

  it('lets exactly 5 of 6 concurrent openings across both replicas through', async () => {
    const agent = await addUser(replicaA, tenant, { profile: 'agent' });
    const attempts = await Promise.all(Array.from({ length: 6 }, (_, i) => openStream(i % 2 ? replicaB : replicaA, agent.token)));

    expect(attempts.filter((attempt) => attempt.status === 200)).toHaveLength(maxStreamsPerPrincipal);
    expect(attempts.filter((attempt) => attempt.code === 'too_many_streams')).toHaveLength(1);
    expect(await slotsOf(agent.id)).toHaveLength(maxStreamsPerPrincipal);
  });

  it('caps a brand API token across replicas too', async () => {
    const other = await newTenant(replicaA);
    for (let i = 0; i < 5; i++) expect((await openStream(i % 2 ? replicaB : replicaA, other.apiToken)).status).toBe(200);
    expect((await openStream(replicaB, other.apiToken)).code).toBe('too_many_streams');
  });

  it('takes over the slots of a crashed replica once their lease ran out, and no sooner', async () => {
    const agent = await addUser(replicaA, tenant, { profile: 'agent' });
    // A replica that claimed all 5 slots, then crashed: it never renews nor releases them.
    const crashed = new StreamSlots(replicaA.services.database.db, { leaseMs: 5_000 });
    for (let i = 0; i < maxStreamsPerPrincipal; i++) expect(await crashed.claim(keyOf(agent.id), `crashed-${i}`, maxStreamsPerPrincipal)).toBeDefined();
    expect((await openStream(replicaB, agent.token)).code).toBe('too_many_streams');

    const first = await waitFor(() => openStream(replicaB, agent.token), (attempt) => attempt.status === 200, 20_000);
    expect(first.status).toBe(200);
    for (let i = 1; i < maxStreamsPerPrincipal; i++) expect((await openStream(i % 2 ? replicaA : replicaB, agent.token)).status).toBe(200);
    expect((await openStream(replicaA, agent.token)).code).toBe('too_many_streams');
    expect((await slotsOf(agent.id)).filter((slot) => slot.streamId?.startsWith('crashed-'))).toEqual([]);
  });

  it('frees the slots of a replica that shuts down at once, without waiting for their lease', async () => {
    const agent = await addUser(replicaA, tenant, { profile: 'agent' });
    const replicaC = await startTestSystem({ env: { MONGODB_DB: replicaA.settings.mongo.dbName } });
    try {
      for (let i = 0; i < 5; i++) expect((await openStream(replicaC, agent.token)).status).toBe(200);
      expect((await openStream(replicaA, agent.token)).code).toBe('too_many_streams');
    } finally {
      await replicaC.stop();
    }

    expect(await slotsOf(agent.id)).toEqual([]);
    for (let i = 0; i < 5; i++) expect((await openStream(replicaA, agent.token)).status).toBe(200);
  });

  it('says "across all API replicas" in /openapi.json', async () => {
    const document = await readJson(await fetch(`${replicaA.url}/openapi.json`));
    expect(document.paths['/api/v1/events'].get.responses['429'].description).toContain('across all API replicas');
  });
});

// EventStreams with a short lease (yet several renewals long, so a loaded machine's late timer does not lose it),
// serving a bare HTTP server on replica A's database.
describe('the lease of a stream\'s slot', () => {
  const leaseMs = 4_000;
  let streams: EventStreams;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    streams = new EventStreams(replicaA.services.database.db, { leaseMs });
    server = createServer((req, res) => {
      const principal = new URL(req.url!, 'http://streams').searchParams.get('principal')!;
      streams.add(res, principal).then(
        (added) => (added ? res.writeHead(200, { 'content-type': 'text/event-stream' }).write(': open\n\n') : res.writeHead(429).end()),
        () => res.writeHead(503).end(),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await streams?.closeAll();
    await new Promise((resolve) => server?.close(resolve));
  });

  const open = async (principal: string) => {
    const controller = new AbortController();
    const response = await fetch(`${url}/?principal=${encodeURIComponent(principal)}`, { signal: controller.signal });
    expect(response.status).toBe(200);
    opened.push(controller);
    openResponses.push(response);
    return { response, controller };
  };
  /** Resolves when the server ends the response; rejects after `timeoutMs`. */
  const ended = (response: Response, timeoutMs = 10_000) =>
    new Promise<boolean>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the stream did not end within ${timeoutMs} ms`)), timeoutMs);
      void (async () => {
        const reader = response.body!.getReader();
        while (!(await reader.read()).done);
      })().then(() => resolve(true), reject).finally(() => clearTimeout(timer));
    });
  const slot = (principal: string) => slots().findOne({ _id: `${principal}#1` });

  it('is renewed while the stream is open, so no other replica takes the slot past its first lease', async () => {
    const principal = `test:${randomUUID()}`;
    await open(principal);
    const firstEnd = (await slot(principal))!.expiresAt.getTime();

    const held = await waitFor(() => slot(principal), (found) => Date.now() > firstEnd + 500 && found!.expiresAt.getTime() > firstEnd, 15_000);
    expect(held!.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(await new StreamSlots(replicaA.services.database.db).claim(principal, 'another-replica', 1)).toBeUndefined();
  });

  it('ends a stream whose slot was taken over (its lease had run out) and leaves the new holder\'s slot alone', async () => {
    const principal = `test:${randomUUID()}`;
    const { response } = await open(principal);
    await slots().updateOne({ _id: `${principal}#1` }, { $set: { streamId: 'new-holder' } });

    expect(await ended(response)).toBe(true);
    expect((await slot(principal))?.streamId).toBe('new-holder');
  });

  it('gives the slot back when the stream closes', async () => {
    const principal = `test:${randomUUID()}`;
    const { controller } = await open(principal);
    controller.abort();

    expect(await waitFor(() => slot(principal), (found) => found === null, 10_000)).toBeNull();
  });

  it('closeAll ends every stream and gives back their slots before it resolves', async () => {
    const principal = `test:${randomUUID()}`;
    const [first, second] = [await open(principal), await open(principal)];
    await streams.closeAll();

    expect(await slots().find({ _id: { $in: [`${principal}#1`, `${principal}#2`] } }).toArray()).toEqual([]);
    expect(await ended(first.response)).toBe(true);
    expect(await ended(second.response)).toBe(true);
  });
});
