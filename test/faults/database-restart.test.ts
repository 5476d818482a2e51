import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Collections } from '../../db/collections.js';
import { entryPointId } from '../../db/repositories/channels.js';
import { readJson } from '../support/http.js';
import { startPrivateDatabase } from '../support/private-servers.js';
import { BRAND_NUMBER, call, inboundSms, openSmsConversation, startConnectorWorld, transcript } from '../support/connectors.js';
import { twilioSid } from '../support/standins/twilio-standin.js';
import { waitFor } from '../support/wait-for.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Phase = 'before' | 'down' | 'after';
/** One HTTP attempt: a webhook delivery or a reply request. */
interface Attempt {
  kind: 'inbound' | 'reply';
  lane: number;
  text: string;
  /** The phase it started in, and when, relative to the crash. */
  phase: Phase;
  sinceCrashMs: number;
  status: number;
  code?: string;
  ms: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const OUTAGE_MS = 10_000;

describe('the database crashes and comes back while messages flow', () => {
  it('loses and duplicates nothing: every message answered 200 is recorded once, in order; every reply answered 202 is sent once, in order', async ({ annotate }) => {
    const database = await startPrivateDatabase();
    cleanups.push(() => database.stop());
    // The whole system (API and worker, here) on the private database; the run's Temporal stays up.
    const world = await startConnectorWorld({
      env: { MONGODB_URI: database.uri, DELIVERY_RETRY_INITIAL_MS: '500', DELIVERY_RETRY_MAX_MS: '2000' },
    });
    cleanups.push(() => world.stop());
    // The secure-form vault defaults to the same server (database `<db>_vault`): the private one too.
    expect(world.system.settings.mongo.uri).toBe(database.uri);
    expect(world.system.settings.mongo.vaultUri ?? world.system.settings.mongo.uri).toBe(database.uri);

    const consumers = ['+14155561001', '+14155561002', '+14155561003'];
    const ids: string[] = [];
    for (const from of consumers) {
      ids.push(await openSmsConversation(world, from, { timeoutMs: 20_000 }));
    }

    // Traffic: per conversation, the consumer texts and the agent replies independently, each one request at a time.
    // A webhook answered otherwise than 200 is delivered again with the same MessageSid, as Twilio does (`rp=all`);
    // a reply answered otherwise than 202 is sent again with the same messageId, as the 503 tells the agent to.
    const attempts: Attempt[] = [];
    const accepted = consumers.map(() => ({ inbound: [] as string[], replies: [] as string[], inboundSince: new Map<string, number>() }));
    let phase: Phase = 'before';
    let crashAt = Number.NaN;
    let stopped = false;
    const attempt = async (kind: Attempt['kind'], lane: number, text: string, send: () => Promise<{ status: number; code?: string }>) => {
      const started = Date.now();
      const startedIn = phase;
      const { status, code } = await send();
      attempts.push({ kind, lane, text, phase: startedIn, sinceCrashMs: started - crashAt, status, ms: Date.now() - started, ...(code ? { code } : {}) });
      return status;
    };
    const consumerLane = async (n: number) => {
      for (let i = 1; !stopped; i++) {
        const text = `c${n} in ${i}`;
        const messageSid = twilioSid('SM');
        const firstTry = Date.now();
        const webhook = async () => {
          const response = await inboundSms(world, { from: consumers[n]!, body: text, messageSid });
          return { status: response.status, ...(response.status === 200 ? {} : { code: (await readJson(response)).error?.code }) };
        };
        while ((await attempt('inbound', n, text, webhook)) !== 200) await pause(500);
        accepted[n]!.inbound.push(text);
        accepted[n]!.inboundSince.set(text, Date.now() - firstTry);
        await pause(150);
      }
    };
    const agentLane = async (n: number) => {
      for (let i = 1; !stopped; i++) {
        const text = `c${n} out ${i}`;
        const messageId = `msg_${randomUUID()}`;
        const reply = async () => {
          const answer = await call(world, 'POST', `/api/v1/conversations/${ids[n]}/replies`, world.apiToken, { text, messageId });
          return { status: answer.status, ...(answer.status === 202 ? {} : { code: answer.body?.error?.code }) };
        };
        while ((await attempt('reply', n, text, reply)) !== 202) await pause(500);
        accepted[n]!.replies.push(text);
        await pause(300);
      }
    };
    const succeeded = (n: number, kind: Attempt['kind'], inPhase: Phase) =>
      attempts.filter((a) => a.lane === n && a.kind === kind && a.phase === inPhase && a.status === (kind === 'inbound' ? 200 : 202)).length;
    const everyLaneHas = (inPhase: Phase, count: number) => async () =>
      consumers.every((_, n) => succeeded(n, 'inbound', inPhase) >= count && succeeded(n, 'reply', inPhase) >= count);
    const traffic = consumers.flatMap((_, n) => [consumerLane(n), agentLane(n)]);

    await waitFor(everyLaneHas('before', 2), Boolean, 30_000);
    // Fresh at the crash, so the direct hand-over to Temporal is exercised while the channel lookup holds.
    world.system.services.directory.invalidate();
    await world.system.services.directory.resolveEntryPoint(entryPointId('twilio', BRAND_NUMBER));
    crashAt = Date.now();
    await database.kill();
    phase = 'down';
    await pause(OUTAGE_MS);
    await database.restart();
    const downForMs = Date.now() - crashAt;
    phase = 'after';
    // The API's and the worker's database clients reconnect on their own: traffic goes through again.
    await waitFor(everyLaneHas('after', 2), Boolean, 60_000);
    stopped = true;
    await Promise.all(traffic);
    await expect.poll(async () => (await fetch(`${world.system.url}/readyz`)).status, { timeout: 15_000 }).toBe(200);

    const tally = (list: Attempt[]) => {
      const counts = new Map<string, number>();
      for (const a of list) counts.set(`${a.status}${a.code ? ` ${a.code}` : ''}`, (counts.get(`${a.status}${a.code ? ` ${a.code}` : ''}`) ?? 0) + 1);
      return `[${[...counts].map(([key, count]) => `${key} ×${count}`).join(', ')}] max ${Math.max(0, ...list.map((a) => a.ms))} ms`;
    };
    const summary = (['before', 'down', 'after'] as const).map((p) => {
      const of = (kind: Attempt['kind']) => tally(attempts.filter((a) => a.phase === p && a.kind === kind));
      return `${p}: inbound ${of('inbound')}; replies ${of('reply')}`;
    });
    const directDuringOutage = attempts.filter((a) => a.kind === 'inbound' && a.phase === 'down' && a.status === 200);
    const firstRefusal = attempts.find((a) => a.kind === 'inbound' && a.status !== 200);
    const longestRedelivery = Math.max(...accepted.flatMap((lane) => [...lane.inboundSince.values()]));
    await annotate([
      `database down ${downForMs} ms`,
      ...summary,
      `webhooks answered 200 during the outage (direct hand-over to Temporal): ${directDuringOutage.length}, started ${directDuringOutage.map((a) => a.sinceCrashMs).join(', ')} ms after the crash`,
      `first webhook refused ${firstRefusal ? `${firstRefusal.sinceCrashMs} ms after the crash (${firstRefusal.code})` : 'never'}`,
      `longest an inbound message took to be answered 200, redeliveries included: ${longestRedelivery} ms (Twilio gives up after 15 s)`,
    ].join('\n'));

    // With Temporal up, every webhook is accepted: the signature is checked against the channel as last read,
    // and the event goes to Temporal directly. Replies may be refused while the database is down, saying why.
    expect(attempts.filter((a) => a.kind === 'inbound' && a.status !== 200), 'webhooks refused while Temporal was up').toEqual([]);
    expect(directDuringOutage.length, 'webhooks handed to Temporal directly while the database was down').toBeGreaterThan(0);
    for (const failure of attempts.filter((a) => a.kind !== 'inbound' && a.status !== 202)) {
      expect(failure, JSON.stringify(failure)).toMatchObject({ status: 503, phase: expect.stringMatching(/^(before|down)$/) });
      expect(['database_unavailable', 'conversation_unavailable'], JSON.stringify(failure)).toContain(failure.code);
    }

    // On failure, what the database holds for this conversation's replies: the evidence a report needs.
    const evidence = async (n: number) => {
      const docs = await world.system.services.database.db.collection(Collections.messages)
        .find({ conversationId: ids[n], direction: 'outbound' }, { projection: { text: 0 } }).sort({ createdAt: 1 }).toArray();
      const sent = world.twilio.sent.filter((m) => m.to === consumers[n]).map((m) => ({ sid: m.sid, body: m.body, at: m.dateCreated }));
      return JSON.stringify({ crashAt: new Date(crashAt), restartedAt: new Date(crashAt + downForMs), messages: docs, twilio: sent }, null, 1);
    };
    for (const [n, from] of consumers.entries()) {
      try {
        await checkConversation(n, from);
      } catch (error) {
        await annotate(`conversation ${n} (${ids[n]}):\n${await evidence(n)}`, 'evidence');
        throw error;
      }
    }

    async function checkConversation(n: number, from: string) {
      const { inbound, replies } = accepted[n]!;
      const recordedInbound = async () => (await transcript(world, ids[n]!)).filter((m) => m.direction === 'inbound' && m.text !== 'hello').map((m) => m.text);
      const sentToConsumer = () => world.twilio.sent.filter((m) => m.to === from).map((m) => m.body);
      // Every message answered 200 is in the transcript once, in the order the consumer sent them.
      await expect.poll(recordedInbound, { timeout: 90_000, interval: 500 }).toEqual(inbound);
      // Every reply answered 202 reaches Twilio once, in the order the agent sent them, and shows as queued.
      await expect.poll(sentToConsumer, { timeout: 90_000, interval: 500 }).toEqual(replies);
      await expect.poll(async () => (await transcript(world, ids[n]!)).filter((m) => m.direction === 'outbound').map((m) => [m.text, m.status]), { timeout: 30_000 })
        .toEqual(replies.map((text) => [text, 'queued']));
      expect(await recordedInbound()).toEqual(inbound);
      expect(sentToConsumer()).toEqual(replies);
    }
  }, 240_000);
});
