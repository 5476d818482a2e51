import { randomBytes, randomUUID } from 'node:crypto';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { MongoClient, type CommandStartedEvent } from 'mongodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handOver, type Handover } from '../../../api/use-cases/inbound/handover.js';
import { JournalForwarder } from '../../../api/use-cases/inbound/journal-forwarder.js';
import { Collections } from '../../../db/collections.js';
import { InboundJournal, inboundJournalContext, type JournalDocument } from '../../../db/repositories/inbound-journal.js';
import { createServices, type Services } from '../../../runtime/services.js';
import type { InboundMessage } from '../../../workflows/conversation/definitions.js';
import { captureLogs } from '../../support/log-capture.js';
import { testSettings } from '../../support/settings.js';

// The journal and its forwarder on the run's real FerretDB and Temporal. No worker polls this
// task queue: what reached Temporal, and in which order, is read from the workflows' histories.
const logs = captureLogs();
let services: Services;
let journal: InboundJournal<Handover>;
const forwarders: JournalForwarder[] = [];

beforeAll(async () => {
  services = await createServices(testSettings(), { logger: logs.logger });
  journal = new InboundJournal<Handover>(services.database.db, services.fields);
});
afterEach(async () => {
  await Promise.all(forwarders.splice(0).map((forwarder) => forwarder.stop()));
});
afterAll(() => services?.close());

const startForwarder = (concurrency = 8, through = journal) => {
  const temporal = { client: services.temporal.client, taskQueue: services.settings.temporal.taskQueue };
  const forwarder = new JournalForwarder({ journal: through, forward: (handover) => handOver(temporal, handover, 5_000), logger: logs.logger, concurrency });
  forwarders.push(forwarder);
  forwarder.start();
  return forwarder;
};

const conversation = () => `conversation:journal-test:twilio:+14155550100:${randomUUID()}`;
const message = (workflowId: string, providerMessageId: string, text = `text of ${providerMessageId}`): Handover => ({
  kind: 'message',
  workflowId,
  message: { providerMessageId, kind: 'text', text, attachments: [], receivedAt: new Date().toISOString() },
  input: {
    brandId: 'journal-test', channel: 'sms', channelId: 'channel', entryPointId: 'twilio:+14155550100', queueId: 'sales',
    consumer: { address: '+14155551234', pseudonym: 'pseudonym' }, inactivityTimeoutMs: 3_600_000, helpText: 'help',
  },
});
const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(2, '0')}`);
const raw = () => services.database.db.collection<JournalDocument>(Collections.inboundJournal);
const pendingOf = (key: string) => raw().countDocuments({ key, status: 'pending' });

/** The provider message ids a conversation workflow was signalled with, in the order Temporal recorded them. */
async function signalled(workflowId: string): Promise<string[]> {
  const history = await services.temporal.client.workflow.getHandle(workflowId).fetchHistory();
  const signals = (history.events ?? []).flatMap((event) => (event.workflowExecutionSignaledEventAttributes ? [event.workflowExecutionSignaledEventAttributes] : []));
  const converter = services.temporal.client.workflow.options.loadedDataConverter;
  const decoded = await Promise.all(signals.map(async (signal) => (await decodeArrayFromPayloads(converter, signal.input?.payloads)) as InboundMessage[]));
  return decoded.map(([item]) => item!.providerMessageId);
}

/** Each id's first arrival, in order: duplicates (another replica forwarding too) are harmless, overtaking is not. */
const firstArrivals = (received: string[]) => [...new Set(received)];

describe('inbound journal forwarder', () => {
  it("forwards each conversation's entries in arrival order, with two forwarders (replicas) at work at once", async () => {
    const [a, b] = [conversation(), conversation()];
    const [replica1, replica2] = [startForwarder(), startForwarder()];
    const sent = { [a]: ids('a', 25), [b]: ids('b', 25) };
    for (let i = 0; i < 25; i++) {
      for (const key of [a, b]) {
        const entry = await journal.append(key, message(key, sent[key]![i]!));
        (i % 2 === 0 ? replica1 : replica2).kick(entry.key);
      }
    }
    await expect.poll(async () => (await pendingOf(a)) + (await pendingOf(b)), { timeout: 30_000 }).toBe(0);
    for (const key of [a, b]) expect(firstArrivals(await signalled(key))).toEqual(sent[key]);
  });

  it('keeps arrival order when replicas forward, from memory, entries they have just journaled', async () => {
    const key = conversation();
    const replicas = [startForwarder(), startForwarder()];
    const appended: { seq: number; providerMessageId: string }[] = [];
    for (let i = 0; i < 15; i++) {
      // Both replicas journal at once: one of them finds the other's entry still pending ahead of its own.
      await Promise.all(replicas.map(async (replica, r) => {
        const providerMessageId = `race-${String(i).padStart(2, '0')}-${r}`;
        const entry = await journal.append(key, message(key, providerMessageId));
        appended.push({ seq: entry.seq, providerMessageId });
        replica.kick(entry.key, entry);
      }));
    }
    await expect.poll(() => pendingOf(key), { timeout: 30_000 }).toBe(0);
    const inArrivalOrder = appended.sort((x, y) => x.seq - y.seq).map((item) => item.providerMessageId);
    expect(firstArrivals(await signalled(key))).toEqual(inArrivalOrder);
  });

  it('journals and forwards without reading the journal: one insert and one update of it per event', async () => {
    const monitored = new MongoClient(services.settings.mongo.uri, { monitorCommands: true });
    const commands: string[] = [];
    monitored.on('commandStarted', (event: CommandStartedEvent) => {
      const collection = event.command[event.commandName];
      if (collection === Collections.inboundJournalHeads) commands.push(`heads ${event.commandName}`);
      if (collection !== Collections.inboundJournal) return;
      const sort = event.command.sort as Map<string, number> | { seq?: number } | undefined;
      const direction = event.commandName === 'find' ? ` seq ${sort instanceof Map ? sort.get('seq') : sort?.seq}` : '';
      commands.push(`${event.commandName}${direction}`);
    });
    try {
      const watched = new InboundJournal<Handover>(monitored.db(services.settings.mongo.dbName), services.fields);
      const forwarder = startForwarder(8, watched);
      const key = conversation();
      await expect.poll(() => commands.includes('distinct'), { timeout: 10_000 }).toBe(true); // the start-up sweep
      commands.length = 0;
      for (const id of ids('memory', 3)) {
        const entry = await watched.append(key, message(key, id));
        forwarder.kick(entry.key, entry);
        expect(await forwarder.forwarded(entry.id, 10_000)).toBe(true);
      }
      await expect.poll(() => pendingOf(key), { timeout: 10_000 }).toBe(0);
      expect(await signalled(key)).toEqual(ids('memory', 3));
      // The key's head once (this process did not know the key); per event the insert and the forwarded marker,
      // and the head moved on. (The periodic sweep's `distinct` and pruning are not per event.)
      const perEvent = commands.filter((command) => !['distinct', 'delete', 'heads delete'].includes(command));
      expect(perEvent.filter((command) => command === 'heads find')).toHaveLength(1);
      expect(perEvent.filter((command) => !command.startsWith('heads'))).toEqual(Array.from({ length: 3 }, () => ['insert', 'update']).flat());
      expect(perEvent.filter((command) => command === 'heads update')).toHaveLength(3);
    } finally {
      await monitored.close();
    }
  });

  it('reads the entries queued behind a pending one by id, with no query that scans, until none is left', async () => {
    const monitored = new MongoClient(services.settings.mongo.uri, { monitorCommands: true });
    const finds: string[] = [];
    monitored.on('commandStarted', (event: CommandStartedEvent) => {
      if (event.commandName === 'find' && event.command.find === Collections.inboundJournal) finds.push(Object.keys(event.command.filter ?? {}).join(','));
    });
    try {
      const watched = new InboundJournal<Handover>(monitored.db(services.settings.mongo.dbName), services.fields);
      const forwarder = startForwarder(8, watched);
      const key = conversation();
      const first = await watched.append(key, message(key, 'queued-1'));
      forwarder.kick(key, first);
      expect(await forwarder.forwarded(first.id, 10_000)).toBe(true);
      await expect.poll(() => pendingOf(key), { timeout: 10_000 }).toBe(0);
      // Two arrive before the forwarder hears of them: the second follows a pending entry, so it is not forwarded from memory.
      await watched.append(key, message(key, 'queued-2'));
      const third = await watched.append(key, message(key, 'queued-3'));
      finds.length = 0;
      forwarder.kick(key, third);
      await expect.poll(() => pendingOf(key), { timeout: 10_000 }).toBe(0);
      expect(await signalled(key)).toEqual(['queued-1', 'queued-2', 'queued-3']);
      expect(finds.length).toBeGreaterThan(0);
      expect(finds.every((fields) => fields === '_id'), finds.join(' | ')).toBe(true);
    } finally {
      await monitored.close();
    }
  });

  it('prunes a key\'s head only once none of its entries is left, even when the head lags', async () => {
    const heads = services.database.db.collection(Collections.inboundJournalHeads);
    const longAgo = new Date(Date.now() - 2 * 3_600_000);
    const [done, waiting] = [conversation(), conversation()];
    // Stored as appends leave them (entry ids `<key>#<seq>`), but without the appends' own head writes racing the test.
    const entry = (key: string, seq: number, pending: boolean) => ({
      _id: `${key}#${seq}`, key, seq, receivedAt: longAgo,
      ...(pending
        ? { status: 'pending' as const, payload: services.fields.seal(JSON.stringify(message(key, `m${seq}`)), inboundJournalContext(`${key}#${seq}`)) }
        : { status: 'forwarded' as const, forwardedAt: longAgo }),
    });
    await raw().insertMany([entry(done, 1, false), entry(done, 2, false), entry(done, 3, false), entry(waiting, 1, false), entry(waiting, 2, false), entry(waiting, 3, true)]);
    // `waiting`'s head lags behind its last entry (a head write lost: FerretDB's $max is not atomic).
    await heads.insertMany([{ _id: done, seq: 3, at: longAgo }, { _id: waiting, seq: 2, at: longAgo }] as never[]);

    await journal.pruneForwarded(new Date(Date.now() - 3_600_000));
    expect(await raw().countDocuments({ key: { $in: [done, waiting] } })).toBe(1);
    expect(await heads.findOne({ _id: done as never })).toBeNull();
    expect(await heads.findOne({ _id: waiting as never })).toMatchObject({ seq: 2 });
    // So a process that does not remember `waiting` numbers after its pending entry, not from 1.
    const fresh = new InboundJournal<Handover>(services.database.db, services.fields);
    expect((await fresh.append(waiting, message(waiting, 'later'))).seq).toBe(4);
  });

  it('goes on with other conversations while one of them cannot be forwarded, and says so once, without content', async () => {
    const stuck = conversation();
    // An entry sealed for another id does not open (as after its key left the keyring): it never reaches Temporal.
    const sealed = services.fields.seal(JSON.stringify(message(stuck, 'never')), 'inbound-journal:another-entry');
    await raw().insertOne({ _id: randomUUID(), key: stuck, seq: 1, status: 'pending', payload: sealed, receivedAt: new Date() });
    const stuckBehind = await journal.append(stuck, message(stuck, 'behind-the-stuck-one'));
    const others = Array.from({ length: 6 }, () => conversation());
    for (const key of others) await journal.append(key, message(key, `only-${key.slice(-8)}`));

    const forwarder = startForwarder(2);
    for (const key of [stuck, ...others]) forwarder.kick(key);
    await expect.poll(async () => Promise.all(others.map(pendingOf)), { timeout: 30_000 }).toEqual(others.map(() => 0));
    for (const key of others) expect(await signalled(key)).toEqual([`only-${key.slice(-8)}`]);
    // Order holds for the stuck one too: what came after it waits.
    expect(await pendingOf(stuck)).toBe(2);
    expect((await raw().findOne({ _id: stuckBehind.id }))?.status).toBe('pending');
    const warnings = logs.lines.filter((line) => line.includes(stuck) && line.includes('could not be forwarded'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).not.toContain('behind-the-stuck-one');
  });

  it('numbers after entries journaled before ids named their number, and forwards the older one first', async () => {
    const key = conversation();
    const older = await journal.append(key, message(key, 'older'));
    // As an entry of the previous version was stored: a random id, number 1, still pending.
    await raw().deleteOne({ _id: older.id });
    const id = randomUUID();
    const payload = services.fields.seal(JSON.stringify(message(key, 'older')), inboundJournalContext(id));
    await raw().insertOne({ _id: id, key, seq: 1, status: 'pending', payload, receivedAt: new Date() });
    await services.database.db.collection(Collections.inboundJournalHeads).deleteOne({ _id: key as never });
    const fresh = new InboundJournal<Handover>(services.database.db, services.fields);
    const next = await fresh.append(key, message(key, 'newer'));
    expect(next.seq).toBe(2);
    expect(await fresh.oldestPending(key)).toMatchObject({ id, seq: 1 });
  });

  it('continues a key another replica journaled, from its head, by lookups of ids alone', async () => {
    const key = conversation();
    const elsewhere = new InboundJournal<Handover>(services.database.db, services.fields);
    for (const id of ids('there', 3)) await elsewhere.append(key, message(key, id));
    const here = new InboundJournal<Handover>(services.database.db, services.fields);
    const appended = await here.append(key, message(key, 'here'));
    expect(appended.seq).toBe(4);
    expect(appended.previous?.id).toBe((await raw().findOne({ key, seq: 3 }))?._id);
    // And back: the other one's memory lags (it remembers 3); it takes the next free number.
    expect((await elsewhere.append(key, message(key, 'there-again'))).seq).toBe(5);
  });

  it('resumes on start-up what was journaled while no forwarder ran', async () => {
    const keys = [conversation(), conversation(), conversation()];
    const sent = Object.fromEntries(keys.map((key, i) => [key, ids(`resume${i}`, 8)]));
    for (let i = 0; i < 8; i++) for (const key of keys) await journal.append(key, message(key, sent[key]![i]!));
    expect(await Promise.all(keys.map(pendingOf))).toEqual([8, 8, 8]);

    startForwarder(); // a fresh process: nobody kicks it
    await expect.poll(async () => Promise.all(keys.map(pendingOf)), { timeout: 30_000 }).toEqual([0, 0, 0]);
    for (const key of keys) expect(firstArrivals(await signalled(key))).toEqual(sent[key]);
    const markers = await raw().find({ key: { $in: keys } }).toArray();
    expect(markers.every((marker) => marker.status === 'forwarded' && marker.payload === undefined && marker.forwardedAt instanceof Date)).toBe(true);
  });

  it('keeps consumer text and addresses encrypted at rest, and nothing of them once forwarded', async () => {
    const canary = `canary${randomBytes(6).toString('hex')}`;
    const key = conversation();
    const handover = message(key, 'canary-message', `my secret is ${canary}`);
    if (handover.kind === 'message') handover.input.consumer.address = `+1415${canary}`;
    const entry = await journal.append(key, handover);

    const rawBytes = async () => (await raw().find({ _id: entry.id }, { raw: true }).toArray()) as unknown as Buffer[];
    const [stored] = await rawBytes();
    expect(stored!.length).toBeGreaterThan(200);
    expect(stored!.includes(canary)).toBe(false);
    expect((await journal.oldestPending(key))?.payload).toEqual(handover);

    startForwarder().kick(key);
    await expect.poll(() => pendingOf(key), { timeout: 30_000 }).toBe(0);
    const [forwarded] = await rawBytes();
    expect(forwarded!.includes(canary)).toBe(false);
    expect(forwarded!.includes('my secret')).toBe(false);
    expect(logs.text()).not.toContain(canary);
  });
});
