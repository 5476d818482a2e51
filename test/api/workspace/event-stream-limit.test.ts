import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addUser, newTenant, type Tenant } from '../../support/accounts.js';
import { readJson } from '../../support/http.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';
import { waitFor } from '../../support/wait-for.js';

let system: TestSystem;
let tenant: Tenant;
beforeAll(async () => {
  system = await startTestSystem();
  tenant = await newTenant(system);
});
afterAll(() => system?.stop());

const opened: AbortController[] = [];
afterEach(() => {
  for (const controller of opened.splice(0)) controller.abort();
});

/** Opens an event stream and keeps it open (until the test ends); returns its status and, when refused, the error. */
async function openStream(token: string) {
  const controller = new AbortController();
  const response = await fetch(`${system.url}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  if (response.status === 200) {
    opened.push(controller);
    return { status: 200, controller };
  }
  const body = await readJson(response);
  return { status: response.status, code: body.error?.code as string | undefined, controller };
}

describe('open event streams per principal', () => {
  it('refuses a user\'s sixth concurrent stream with 429 too_many_streams', async () => {
    const agent = await addUser(system, tenant, { profile: 'agent' });
    for (let i = 0; i < 5; i++) expect((await openStream(agent.token)).status).toBe(200);
    const sixth = await openStream(agent.token);
    expect([sixth.status, sixth.code]).toEqual([429, 'too_many_streams']);
  });

  it('counts each user and each API token on its own', async () => {
    const [first, second] = [await addUser(system, tenant, { profile: 'agent' }), await addUser(system, tenant, { profile: 'agent' })];
    for (let i = 0; i < 5; i++) expect((await openStream(first.token)).status).toBe(200);
    expect((await openStream(second.token)).status).toBe(200);
    expect((await openStream(tenant.apiToken)).status).toBe(200);
  });

  it('limits a brand API token too', async () => {
    const other = await newTenant(system);
    for (let i = 0; i < 5; i++) expect((await openStream(other.apiToken)).status).toBe(200);
    expect((await openStream(other.apiToken)).code).toBe('too_many_streams');
  });

  it('gives the slot back when a stream disconnects', async () => {
    const agent = await addUser(system, tenant, { profile: 'agent' });
    const streams = [];
    for (let i = 0; i < 5; i++) streams.push(await openStream(agent.token));
    streams[0]!.controller.abort();
    const reopened = await waitFor(() => openStream(agent.token), (attempt) => attempt.status === 200, 10_000);
    expect(reopened.status).toBe(200);
    expect((await openStream(agent.token)).code).toBe('too_many_streams');
  });

  it('documents the 429 in /openapi.json', async () => {
    const document = await readJson(await fetch(`${system.url}/openapi.json`));
    expect(document.paths['/api/v1/events'].get.responses['429']).toBeDefined();
  });
});
