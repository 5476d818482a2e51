import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './args.js';

/** The API answered with an error (or could not be reached): exit 1. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status?: number,
    readonly details: { in?: string; path?: string; message?: string }[] = [],
  ) {
    super(message);
  }
}

type Env = Record<string, string | undefined>;
const set = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

/** `--api`, else SWITCHBOARD_API_URL, else the local `npm start` API. */
export function apiBaseUrl(flag: string | undefined, env: Env): string {
  const raw = set(flag) ?? set(env.SWITCHBOARD_API_URL) ?? `http://127.0.0.1:${set(env.PORT) ?? '3000'}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--api / SWITCHBOARD_API_URL must be an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--api / SWITCHBOARD_API_URL must be an http(s) URL, got "${raw}"`);
  return url.toString().replace(/\/+$/, '');
}

/** Where consumers' providers send webhooks: PUBLIC_BASE_URL when set, else the API URL. */
export function publicBaseUrl(apiUrl: string, env: Env): string {
  return (set(env.PUBLIC_BASE_URL) ?? apiUrl).replace(/\/+$/, '');
}

/** ADMIN_TOKEN, else the one `npm start` generated into DATA_DIR/dev-secrets.json. */
export function adminToken(env: Env, cwd: string): string {
  const fromEnv = set(env.ADMIN_TOKEN);
  if (fromEnv) return fromEnv;
  const file = path.resolve(cwd, set(env.DATA_DIR) ?? 'data', 'dev-secrets.json');
  const hint = 'set ADMIN_TOKEN, or run `npm start` once (it writes DATA_DIR/dev-secrets.json) with the same DATA_DIR';
  if (!existsSync(file)) throw new ApiError(`no admin token: ${file} does not exist; ${hint}`, 'no_admin_token');
  let token: unknown;
  try {
    token = (JSON.parse(readFileSync(file, 'utf8')) as { adminToken?: unknown }).adminToken;
  } catch (error) {
    throw new ApiError(`no admin token: cannot read ${file} (${(error as Error).message}); ${hint}`, 'no_admin_token');
  }
  if (typeof token !== 'string' || !token) throw new ApiError(`no admin token: ${file} has no adminToken; ${hint}`, 'no_admin_token');
  return token;
}

export interface AdminApi {
  readonly baseUrl: string;
  request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

/** JSON over HTTP with the admin bearer token; API errors become ApiError. */
export function adminApi(options: { baseUrl: string; token: () => string; timeoutMs?: number }): AdminApi {
  return {
    baseUrl: options.baseUrl,
    async request<T>(method: string, requestPath: string, body?: unknown): Promise<T> {
      const url = `${options.baseUrl}${requestPath}`;
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: { authorization: `Bearer ${options.token()}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
        });
      } catch (error) {
        if (error instanceof ApiError) throw error;
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        const reason = cause?.code ?? cause?.message ?? (error as Error).message;
        throw new ApiError(`cannot reach the API at ${options.baseUrl} (${reason}); is it running (npm start)? Use --api or SWITCHBOARD_API_URL to point elsewhere`, 'unreachable');
      }
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      if (response.ok) return parsed as T;
      const error = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
      throw new ApiError(
        error?.message ?? `HTTP ${response.status} ${response.statusText} from ${method} ${requestPath}`,
        error?.code ?? `http_${response.status}`,
        response.status,
        Array.isArray(error?.details) ? error.details : [],
      );
    },
  };
}
