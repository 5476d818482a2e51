import type { MessageWatch } from '../message-watch.js';
import { perMessage, type DatabaseShare } from '../db-profile.js';
import { scaled, type BenchOptions } from '../options.js';
import type { SystemUnderTest } from '../sut-process.js';
import { summarize, type Latency } from '../stats.js';
import { consumerNumber, sendInboundSms } from '../webhook.js';
import type { BenchWorld } from '../world.js';

export interface WebhookToSse {
  /** Webhook sent → 200 answer. */
  ack: Latency;
  /** Webhook sent → its message.created event read from the agent's stream. */
  toSse: Latency;
  /** Messages whose event did not come within 10 s (counted as Infinity above). */
  missed: number;
  /** The database commands per message, the costliest shapes. */
  database: DatabaseShare[];
}

/**
 * One message at a time: a signed inbound SMS, then wait for its message.created event at the
 * agent before the next. Consumers take turns from a pool of 10, so the first 10 messages open
 * conversations and the rest land in open ones.
 */
export async function webhookToSse(world: BenchWorld, watch: MessageWatch, sut: SystemUnderTest, options: BenchOptions): Promise<WebhookToSse> {
  const count = scaled(options, 100, 10);
  const deadline = performance.now() + 60_000 * Math.max(options.scale, 0.25);
  const acks: number[] = [];
  const toSse: number[] = [];
  let missed = 0;
  await sut.dbProfile();
  for (let i = 0; i < count && performance.now() < deadline; i++) {
    const sent = await sendInboundSms(world, consumerNumber(201, i % 10));
    acks.push(sent.ackMs);
    const arrival = await watch.waitFor(sent.messageId, 10_000);
    if (!arrival) missed++;
    toSse.push(arrival ? arrival.at - sent.sentAt : Infinity);
  }
  const database = perMessage(await sut.dbProfile(), acks.length);
  return { ack: summarize(acks), toSse: summarize(toSse), missed, database };
}
