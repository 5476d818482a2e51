import type { Operation } from './operations.js';

export interface ContractRequest {
  label: string;
  /** valid and boundary requests must be accepted as the schema promises; invalid ones refused with a 4xx. */
  kind: 'valid' | 'boundary' | 'invalid';
  pathParams: Record<string, unknown>;
  query: Record<string, unknown>;
  body?: unknown;
  /** Sent as is instead of `body` (wrong media type, broken JSON). */
  rawBody?: { contentType: string; text: string };
  authorization?: string;
}

export interface ServerEvent {
  id?: string;
  event?: string;
  data?: string;
}

export interface ContractResponse {
  status: number;
  /** The media type without parameters; undefined without a Content-Type. */
  mediaType?: string;
  text: string;
  events?: ServerEvent[];
}

function pathOf(operation: Operation, params: Record<string, unknown>): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(params[name])));
}

function encodeForm(body: unknown): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    for (const item of Array.isArray(value) ? value : [value]) form.append(key, typeof item === 'object' ? JSON.stringify(item) : String(item));
  }
  return form.toString();
}

function queryOf(query: Record<string, unknown>): string {
  const entries = Object.entries(query).filter(([, value]) => value !== undefined);
  return entries.length ? `?${new URLSearchParams(entries.map(([key, value]): [string, string] => [key, String(value)])).toString()}` : '';
}

/** Server-Sent Events blocks to their fields (comments and `retry:` lines aside). */
export function parseEventStream(text: string): ServerEvent[] {
  return text
    .split(/\n\n/)
    .map((block) => block.split('\n').filter((line) => line && !line.startsWith(':')))
    .filter((lines) => lines.some((line) => /^(event|data|id):/.test(line)))
    .map((lines) => Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).replace(/^ /, '')])));
}

/** Reads a stream for a short while: a live stream has no end. */
async function readStream(response: Response, forMs: number, abort: AbortController): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  const timer = setTimeout(() => abort.abort(), forMs);
  try {
    for await (const chunk of response.body!) text += decoder.decode(chunk as Uint8Array, { stream: true });
  } catch (error) {
    if (!abort.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
  }
  return text;
}

export async function send(baseUrl: string, operation: Operation, request: ContractRequest): Promise<ContractResponse> {
  const headers: Record<string, string> = request.authorization ? { authorization: request.authorization } : {};
  let body: string | undefined;
  if (request.rawBody) {
    headers['content-type'] = request.rawBody.contentType;
    body = request.rawBody.text;
  } else if (request.body !== undefined && operation.body) {
    headers['content-type'] = operation.body.contentType;
    body = operation.body.contentType === 'application/x-www-form-urlencoded' ? encodeForm(request.body) : JSON.stringify(request.body);
  }
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}${pathOf(operation, request.pathParams)}${queryOf(request.query)}`, {
    method: operation.method.toUpperCase(), headers, body, signal: abort.signal, redirect: 'manual',
  });
  const mediaType = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'text/event-stream') {
    const text = await readStream(response, 400, abort);
    return { status: response.status, mediaType, text, events: parseEventStream(text) };
  }
  return { status: response.status, mediaType, text: await response.text() };
}
