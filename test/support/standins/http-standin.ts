import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as a stand-in received it, for assertions on auth, encoding and fields. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What the next request(s) should fail with instead of being handled. */
export interface InjectedFailure {
  status: number;
  /** Provider error code (Twilio `21610`, Graph `551`). */
  code?: number;
  /** Graph `error_subcode`. */
  subcode?: number;
  message?: string;
  /** Sent as the Retry-After header. */
  retryAfterSeconds?: number;
}

export interface HttpStandin {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: RecordedRequest[];
  /** The next `times` requests fail with `failure` (nothing is accepted). */
  failNext(failure: InjectedFailure, times?: number): void;
  /** Every request fails with `failure` until `heal()`: an outage of the provider. */
  failUntilHealed(failure: InjectedFailure): { heal(): void };
  /** The next `times` requests are handled (and accepted), but answered only after `ms`: a lost answer. */
  delayNext(ms: number, times?: number): void;
  close(): Promise<void>;
}

export async function startHttpStandin(options: {
  handle: (request: RecordedRequest) => Reply;
  fail: (failure: InjectedFailure) => Reply;
}): Promise<HttpStandin> {
  const requests: RecordedRequest[] = [];
  const failures: InjectedFailure[] = [];
  let outage: InjectedFailure | undefined;
  const delays: number[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://standin');
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const request = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, rawBody };
      requests.push(request);
      const failure = outage ?? failures.shift();
      const reply = failure ? options.fail(failure) : options.handle(request);
      const send = () => {
        if (res.destroyed) return; // the client gave up (timeout)
        res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
        res.end(JSON.stringify(reply.body));
      };
      const delay = delays.shift();
      if (delay === undefined) return send();
      const timer = setTimeout(() => {
        timers.delete(timer);
        send();
      }, delay);
      timers.add(timer);
    });
  });
  const origin = await listen(server);
  return {
    origin,
    requests,
    failNext: (failure, times = 1) => failures.push(...Array<InjectedFailure>(times).fill(failure)),
    failUntilHealed: (failure) => {
      outage = failure;
      return { heal: () => void (outage = undefined) };
    },
    delayNext: (ms, times = 1) => delays.push(...Array<number>(times).fill(ms)),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An origin on a loopback port nothing listens on any more: connecting to it is refused. */
export async function refusedOrigin(): Promise<string> {
  const server = createServer();
  const origin = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return origin;
}
