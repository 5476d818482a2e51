import { AsyncLocalStorage } from 'node:async_hooks';

/** Who is on the other end of the HTTP request being served, for records made deep inside use cases (the audit log). */
export interface RequestContext {
  requestId: string;
  /** Express's req.ip: the peer, or the client the trusted proxies (TRUST_PROXY) name. */
  sourceIp?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runInRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

/** Undefined outside a request (workers, schedules, start-up). */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
