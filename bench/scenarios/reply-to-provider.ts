import { randomBytes } from 'node:crypto';
import type { AssignedConversation } from '../assigned-conversation.js';
import type { BenchAgent } from '../agents.js';
import { perMessage, type DatabaseShare } from '../db-profile.js';
import { scaled, type BenchOptions } from '../options.js';
import type { SystemUnderTest } from '../sut-process.js';
import { deferred, summarize, type Latency } from '../stats.js';
import { callApi, onTwilioSend, type BenchWorld } from '../world.js';

export interface ReplyToProvider {
  /** POST …/replies → its 202 (the reply is recorded). */
  accepted: Latency;
  /** POST …/replies → the Twilio stand-in received the message. */
  toProvider: Latency;
  missed: number;
  /** The database commands per reply (accepted and delivered), the costliest shapes. */
  database: DatabaseShare[];
}

/** One reply at a time from the agent into a conversation assigned to them; the next once the stand-in has the previous. */
export async function replyToProvider(world: BenchWorld, agent: BenchAgent, conversation: AssignedConversation, sut: SystemUnderTest, options: BenchOptions): Promise<ReplyToProvider> {
  const count = scaled(options, 50, 5);
  const deadline = performance.now() + 60_000 * Math.max(options.scale, 0.25);
  const arrived = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  const stop = onTwilioSend(world.twilio, (message, at) => {
    arrived.set(message.body, at);
    waiters.get(message.body)?.();
  });
  const accepted: number[] = [];
  const toProvider: number[] = [];
  let missed = 0;
  await sut.dbProfile();
  try {
    for (let i = 0; i < count && performance.now() < deadline; i++) {
      const text = `Your order ships today (${i}, ${randomBytes(4).toString('hex')})`;
      const received = deferred(15_000);
      waiters.set(text, received.resolve);
      const t0 = performance.now();
      const reply = await callApi(world, 'POST', `/api/v1/conversations/${conversation.conversationId}/replies`, agent.token, { text });
      if (reply.status !== 202) throw new Error(`reply answered ${reply.status}: ${JSON.stringify(reply.body)}`);
      accepted.push(performance.now() - t0);
      await received.promise;
      waiters.delete(text);
      const at = arrived.get(text);
      if (at === undefined) missed++;
      toProvider.push(at === undefined ? Infinity : at - t0);
    }
  } finally {
    stop();
  }
  const database = perMessage(await sut.dbProfile(), accepted.length);
  return { accepted: summarize(accepted), toProvider: summarize(toProvider), missed, database };
}
