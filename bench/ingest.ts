import { perMessage, type DatabaseShare } from './db-profile.js';
import { startCpuWindow, type CpuShare } from './cpu-window.js';
import type { MessageWatch } from './message-watch.js';
import { round1, summarize, type Latency } from './stats.js';
import type { SystemUnderTest } from './sut-process.js';
import { consumerNumber, sendInboundSms, type SentSms } from './webhook.js';
import type { BenchWorld } from './world.js';

export interface Ingest {
  inFlight: number;
  seconds: number;
  /** Webhooks answered 200 during the window. */
  acked: number;
  ackPerSecond: number;
  ack: Latency;
  webhookErrors: number;
  /** Messages whose message.created event reached the agent within the window, per second of window. */
  processedPerSecond: number;
  /** Webhook sent → its event at the agent, over every acknowledged message (one still missing after the drain counts as Infinity). */
  lag: Latency;
  /** Acknowledged messages still not at the agent after the drain. */
  unprocessed: number;
  drainSeconds: number;
  cpu: CpuShare;
  /** The database commands of the window, per acknowledged message, most time first (the 12 costliest shapes). */
  database: DatabaseShare[];
}

/**
 * `inFlight` webhook senders for `seconds`, each sending its next inbound SMS as soon as the previous
 * is answered, as consumers `consumerNumber(series, i % pool)` take turns (the first `pool` open
 * conversations; later ones land in open conversations). A message counts once it is fully processed:
 * its message.created event read from the agent's stream (published after the message and its
 * conversation are recorded). Then waits up to `drainSeconds` for the backlog.
 */
export async function runIngest(
  world: BenchWorld,
  watch: MessageWatch,
  sut: SystemUnderTest,
  options: { inFlight: number; seconds: number; series: number; pool: number; drainSeconds: number },
): Promise<Ingest> {
  const sent: SentSms[] = [];
  let webhookErrors = 0;
  let next = 0;
  await sut.dbProfile();
  const cpu = await startCpuWindow(sut);
  const started = performance.now();
  const windowEnd = started + options.seconds * 1000;
  const lane = async () => {
    while (performance.now() < windowEnd) {
      try {
        sent.push(await sendInboundSms(world, consumerNumber(options.series, next++ % options.pool)));
      } catch {
        webhookErrors++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.inFlight }, lane));
  const cpuShare = await cpu.end();
  const database = perMessage(await sut.dbProfile(), sent.length);
  const windowSeconds = (performance.now() - started) / 1000;

  const drainStarted = performance.now();
  const ids = sent.map((message) => message.messageId);
  const unprocessed = await watch.waitForAll(ids, options.drainSeconds * 1000);
  const inWindow = ids.filter((id) => (watch.arrivals.get(id)?.at ?? Infinity) <= windowEnd).length;
  return {
    inFlight: options.inFlight,
    seconds: round1(windowSeconds),
    acked: sent.length,
    ackPerSecond: round1(sent.length / windowSeconds),
    ack: summarize(sent.map((message) => message.ackMs)),
    webhookErrors,
    processedPerSecond: round1(inWindow / options.seconds),
    lag: summarize(sent.map((message) => (watch.arrivals.get(message.messageId)?.at ?? Infinity) - message.sentAt)),
    unprocessed,
    drainSeconds: round1((performance.now() - drainStarted) / 1000),
    cpu: cpuShare,
    database,
  };
}
