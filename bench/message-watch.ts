import type { BenchAgent } from './agents.js';
import { deferred } from './stats.js';
import { openEventStream, type EventStream } from './event-stream.js';
import { callApi, type BenchWorld } from './world.js';

export interface Arrival {
  /** performance.now() when the message.created event reached the agent. */
  at: number;
  conversationId: string;
}

/**
 * What one agent sees live: the message.created events on their stream (their queue's and their
 * own conversations'), by message id. An event there means the message is fully processed: the
 * worker publishes it only after the message and its conversation are recorded.
 */
export class MessageWatch {
  readonly arrivals = new Map<string, Arrival>();
  private readonly waiters = new Map<string, () => void>();
  private readonly stream: EventStream;
  private readonly keepAlive: NodeJS.Timeout;

  private constructor(world: BenchWorld, agent: BenchAgent) {
    this.stream = openEventStream({
      api: world.api,
      token: agent.token,
      onEvent: (event) => {
        if (event.type !== 'message.created') return;
        const messageId = String(event.data.messageId);
        if (this.arrivals.has(messageId)) return;
        this.arrivals.set(messageId, { at: event.at, conversationId: String(event.data.conversationId) });
        this.waiters.get(messageId)?.();
      },
    });
    // A stream is not activity: without requests the session idles out (15 min) and the stream ends.
    this.keepAlive = setInterval(() => void callApi(world, 'GET', '/api/v1/me', agent.token).catch(() => {}), 60_000);
  }

  static async open(world: BenchWorld, agent: BenchAgent): Promise<MessageWatch> {
    const watch = new MessageWatch(world, agent);
    await watch.stream.opened;
    return watch;
  }

  /** When the message's event arrived (waiting up to `timeoutMs`), or undefined. */
  async waitFor(messageId: string, timeoutMs: number): Promise<Arrival | undefined> {
    if (!this.arrivals.has(messageId)) {
      const arrived = deferred(timeoutMs);
      this.waiters.set(messageId, arrived.resolve);
      await arrived.promise;
      this.waiters.delete(messageId);
    }
    return this.arrivals.get(messageId);
  }

  /** Resolves once every id has arrived or `timeoutMs` passed; answers how many are still missing. */
  async waitForAll(messageIds: string[], timeoutMs: number): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    const missing = () => messageIds.filter((id) => !this.arrivals.has(id));
    let left = missing();
    while (left.length > 0 && performance.now() < deadline) {
      await this.waitFor(left[0]!, Math.min(1_000, deadline - performance.now()));
      left = left.filter((id) => !this.arrivals.has(id));
    }
    return left.length;
  }

  close() {
    clearInterval(this.keepAlive);
    this.stream.close();
  }
}
