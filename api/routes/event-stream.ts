import type { Response } from 'express';
import type { EventDocument, EventLog } from '../../db/repositories/events.js';
import type { LiveEvents } from '../../db/live/live-events.js';

const HEARTBEAT_MS = 15_000;
const SESSION_CHECK_MS = 10_000;
const REPLAY_BATCH = 200;
/** A client this far behind (bytes waiting in its socket) is cut off; it resumes with Last-Event-ID. */
const MAX_QUEUED_BYTES = 1024 * 1024;

export interface EventStreamInput {
  res: Response;
  events: EventLog;
  live: LiveEvents;
  brandId: string;
  /** Who may see what (users and `queue:<id>`); undefined: everything (managers, integrations). */
  audience?: string[];
  /** Last-Event-ID or `since`; undefined: from now. */
  resumeAfter?: number;
  /** False ends the stream with `session.ended`. */
  sessionStillValid(): Promise<boolean>;
}

/** One live event goes to every stream of its brand: its text is built once. */
const frames = new WeakMap<EventDocument, string>();
function frame(event: EventDocument): string {
  let text = frames.get(event);
  if (text === undefined) {
    text = `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify({ ...event.data, at: event.at.toISOString() })}\n\n`;
    frames.set(event, text);
  }
  return text;
}

/**
 * One SSE connection: replays from the database what came after the resume point, then forwards
 * the brand's live events. It subscribes before it reads, and holds what arrives meanwhile, so
 * nothing falls between the replay and the live part; a seq it already passed is never written.
 */
export async function serveEventStream(input: EventStreamInput): Promise<void> {
  const { res, audience } = input;
  let closed = false;
  let unsubscribe = () => {};
  const timers: NodeJS.Timeout[] = [];
  res.on('close', () => {
    closed = true;
    unsubscribe();
    for (const timer of timers) clearInterval(timer);
  });

  const send = (text: string) => {
    if (res.writableEnded) return;
    res.write(text);
    if (res.writableLength > MAX_QUEUED_BYTES) res.end();
  };
  const write = (event: EventDocument) => send(frame(event));
  /** The last seq passed (written or not for this audience): the hub hands out seqs in order. */
  let passed = Infinity;
  let waiting: EventDocument[] | undefined = [];
  const forward = (event: EventDocument) => {
    if (closed || event.seq <= passed) return;
    passed = event.seq;
    if (!audience || event.audience.some((id) => audience.includes(id))) write(event);
  };
  unsubscribe = await input.live.subscribe(input.brandId, (event) => (waiting ? waiting.push(event) : forward(event)));
  if (closed) return unsubscribe();

  let after = input.resumeAfter ?? (await input.events.latestSeq(input.brandId));
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  res.write('retry: 2000\n\n');
  try {
    for (;;) {
      const batch = await input.events.since(input.brandId, after, { audience, limit: REPLAY_BATCH });
      for (const event of batch) {
        write(event);
        after = event.seq;
      }
      if (batch.length < REPLAY_BATCH || closed) break;
    }
  } catch {
    // The database failed mid-replay: the client reconnects (retry: 2000) and resumes from what it got.
    res.end();
    return;
  }
  if (closed) return;
  // A stream that started from now names its position first: a reconnection before any event then still replays what it missed.
  if (input.resumeAfter === undefined) send(`id: ${after}\nevent: stream.position\ndata: {}\n\n`);
  passed = after;
  const held = waiting;
  waiting = undefined;
  for (const event of held) forward(event);

  timers.push(setInterval(() => send(': keep-alive\n\n'), HEARTBEAT_MS));
  let checking = false;
  // A stream is not activity: it ends when the session is revoked or idles out, like any request would.
  timers.push(
    setInterval(async () => {
      if (checking || closed) return;
      checking = true;
      try {
        if (!(await input.sessionStillValid())) {
          send('event: session.ended\ndata: {}\n\n');
          res.end();
        }
      } catch {
        // The database did not answer: check again next time.
      } finally {
        checking = false;
      }
    }, SESSION_CHECK_MS),
  );
}
