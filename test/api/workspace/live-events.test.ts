import type { CommandStartedEvent } from 'mongodb';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '../../../db/connection.js';
import { EventLog } from '../../../db/repositories/events.js';
import { addUser, newTenant, type Tenant } from '../../support/accounts.js';
import { openEventStream, type EventStreamClient } from '../../support/event-stream-client.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';

/** The driver reports every command of the API's connection: we count who reads the events collection. */
const monitored = (uri: string) => {
  const url = new URL(uri);
  if (!url.pathname) url.pathname = '/';
  url.searchParams.set('monitorCommands', 'true');
  return url.toString();
};

// The tail of other processes' events is pushed out of the way (60 s): whatever reaches a stream here came from this process.
let system: TestSystem;
let tenant: Tenant;
const commands: CommandStartedEvent[] = [];
beforeAll(async () => {
  system = await startTestSystem({ env: { MONGODB_URI: monitored(inject('mongoUri')), LIVE_EVENTS_TAIL_MS: '60000' } });
  system.services.database.client.on('commandStarted', (command) => commands.push(command));
  tenant = await newTenant(system);
}, 60_000);
afterAll(() => system?.stop());

const opened: EventStreamClient[] = [];
afterEach(() => {
  for (const stream of opened.splice(0)) stream.close();
});
const open = async (token: string, lastEventId: string) => {
  const stream = await openEventStream(system.url, token, { lastEventId });
  opened.push(stream);
  return stream;
};

const log = () => new EventLog(system.services.database.db);
const latestId = async (brandId: string) => String(await log().latestSeq(brandId));
const append = (brandId: string, key: string, audience: string[]) =>
  log().append({ brandId, key, type: 'message.created', audience, data: { conversationId: 'c-live', key } });
const keysOf = (stream: EventStreamClient) => stream.events.map((event) => event.data.key);
/** Reads of the event feed: finds on the events collection that select by sequence number (replays, polls, tails). */
const feedReads = () =>
  commands.filter((command) => command.commandName === 'find' && command.command.find === 'events' && JSON.stringify(command.command.filter ?? {}).includes('"seq"'));

describe('live events in the process that wrote them', () => {
  it('reach 20 open streams at once, without a single read of the events by any of them', async () => {
    const agents = await Promise.all(Array.from({ length: 4 }, () => addUser(system, tenant, { profile: 'agent' })));
    const audience = agents.map((agent) => agent.id);
    const from = await latestId(tenant.brandId);
    const streams = await Promise.all(agents.flatMap((agent) => Array.from({ length: 5 }, () => open(agent.token, from))));
    // Every stream has replayed and gone live once it has the first event.
    await append(tenant.brandId, 'first', audience);
    await Promise.all(streams.map((stream) => stream.waitUntil(() => keysOf(stream).includes('first'))));

    const readsBefore = feedReads().length;
    expect(readsBefore, 'each stream\'s replay was seen: the count works').toBeGreaterThanOrEqual(20);
    await append(tenant.brandId, 'second', audience);
    await Promise.all(streams.map((stream) => stream.waitUntil(() => keysOf(stream).includes('second'))));
    expect(feedReads().length - readsBefore).toBe(0);
    for (const stream of streams) expect(keysOf(stream)).toEqual(['first', 'second']);
  });

  it('hold an event back until an earlier one, stored by another process, has been written', async () => {
    const other = connectDatabase({ uri: system.settings.mongo.uri!, dbName: system.settings.mongo.dbName });
    try {
      const { brandId, apiToken } = await newTenant(system);
      const stream = await open(apiToken, await latestId(brandId));
      await append(brandId, 'opening', ['x']);
      await stream.waitUntil(() => keysOf(stream).includes('opening'));

      // Another process (its own connection: no in-process delivery) stores the next event; this process the one after.
      await new EventLog(other.db).append({ brandId, key: 'elsewhere', type: 'message.created', audience: ['x'], data: { conversationId: 'c', key: 'elsewhere' } });
      await append(brandId, 'here', ['x']);
      await stream.waitUntil(() => keysOf(stream).includes('here'));
      expect(keysOf(stream)).toEqual(['opening', 'elsewhere', 'here']);
      const ids = stream.events.map((event) => Number(event.id));
      expect(ids).toEqual([ids[0], ids[0]! + 1, ids[0]! + 2]);
    } finally {
      await other.close();
    }
  });

  it('replay what came after Last-Event-ID, then continue live without a gap or a repeat', async () => {
    const { brandId, apiToken } = await newTenant(system);
    const from = await latestId(brandId);
    for (const key of ['a', 'b', 'c']) await append(brandId, key, ['x']);
    const stream = await open(apiToken, from);
    // While it replays a, b and c, more arrive live.
    for (const key of ['d', 'e', 'f', 'g']) await append(brandId, key, ['x']);
    await stream.waitUntil(() => keysOf(stream).includes('g'));
    expect(keysOf(stream)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });
});

