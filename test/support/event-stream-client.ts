import { takeSseEvents, type SseEvent } from './workspace.js';

export interface EventStreamClient {
  /** Every event received so far, in arrival order. */
  readonly events: SseEvent[];
  /** Resolves with the events once `until` holds (checked on each event), or rejects after `timeoutMs`. */
  waitUntil(until: (events: SseEvent[]) => boolean, timeoutMs?: number): Promise<SseEvent[]>;
  close(): void;
}

/** An SSE client of GET /api/v1/events that stays connected until closed; throws if the stream is refused. */
export async function openEventStream(baseUrl: string, token: string, options: { lastEventId?: string } = {}): Promise<EventStreamClient> {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/api/v1/events`, {
    headers: { authorization: `Bearer ${token}`, ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}) },
    signal: controller.signal,
  });
  if (response.status !== 200) throw new Error(`events answered ${response.status}: ${await response.text()}`);
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  let ended: Error | undefined;
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body!) {
        buffer = takeSseEvents(buffer + decoder.decode(chunk, { stream: true }), events);
        for (const wake of waiters) wake();
      }
      ended = new Error('the stream ended');
    } catch (error) {
      ended = error as Error;
    }
    for (const wake of waiters) wake();
  })();

  return {
    events,
    waitUntil(until, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`not seen within ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => [e.id, e.type]))}`)), timeoutMs);
        const finish = (error?: Error) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(error);
          else resolve(events);
        };
        const check = () => {
          if (until(events)) finish();
          else if (ended) finish(new Error(`${ended.message} before the condition held; got ${JSON.stringify(events.map((e) => [e.id, e.type]))}`));
        };
        waiters.add(check);
        check();
      });
    },
    close: () => controller.abort(),
  };
}
