import { sleep } from './stats.js';

export interface StreamEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
  /** performance.now() when the event's bytes were read. */
  at: number;
}

export interface EventStream {
  /** Settles once the server answered 200 (the stream is live); rejects on any other answer. */
  opened: Promise<void>;
  close(): void;
}

/**
 * An agent's GET /api/v1/events as a browser's EventSource reads it: when the server ends the
 * stream (or the connection drops) it reconnects with Last-Event-ID, unless closed or refused.
 */
export function openEventStream(options: { api: string; token: string; onEvent?: (event: StreamEvent) => void }): EventStream {
  const controller = new AbortController();
  let lastEventId: string | undefined;
  let settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
  const opened = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  opened.catch(() => {});

  const readOnce = async () => {
    const response = await fetch(`${options.api}/api/v1/events`, {
      headers: { authorization: `Bearer ${options.token}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
      signal: controller.signal,
    });
    if (response.status !== 200) {
      await response.arrayBuffer();
      throw Object.assign(new Error(`the event stream answered ${response.status}`), { refused: true });
    }
    settle?.resolve();
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body!) {
      const at = performance.now();
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields: Record<string, string> = {};
        for (const line of block.split('\n')) {
          const colon = line.indexOf(':');
          if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
        }
        if (fields.id) lastEventId = fields.id;
        if (!fields.event) continue;
        if (fields.event === 'session.ended') throw Object.assign(new Error('the session ended'), { refused: true });
        options.onEvent?.({ id: fields.id ?? '', type: fields.event, data: JSON.parse(fields.data ?? '{}') as Record<string, unknown>, at });
      }
    }
  };

  void (async () => {
    while (!controller.signal.aborted) {
      try {
        await readOnce();
      } catch (error) {
        if (controller.signal.aborted) return;
        if ((error as { refused?: boolean }).refused) {
          settle?.reject(error as Error);
          process.stderr.write(`[bench] event stream stopped: ${(error as Error).message}\n`);
          return;
        }
      }
      await sleep(200);
    }
  })();
  return { opened, close: () => controller.abort() };
}
