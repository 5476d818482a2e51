import { request as httpRequest } from 'node:http';
import { readJson } from '../support/http.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testOperatorToken } from '../support/settings.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

/** node:http, because fetch refuses TRACE. */
function rawRequest(url: string, method: string): Promise<{ status: number; allow?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve({ status: response.statusCode!, allow: response.headers.allow, body }));
    });
    request.on('error', reject).end();
  });
}

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem({ env: { REQUEST_BODY_LIMIT_BYTES: '2048' } });
});
afterAll(() => system?.stop());

describe('HTTP conventions every route shares', () => {
  it('answers unknown routes with a JSON 404 carrying code, message and request id', async () => {
    const response = await fetch(`${system.url}/no/such/route`);
    expect(response.status).toBe(404);
    const body = await readJson(response);
    expect(body).toEqual({
      error: { code: 'route_not_found', message: 'No route GET /no/such/route', requestId: response.headers.get('x-request-id') },
    });
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const response = await fetch(`${system.url}/codec/encode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${testOperatorToken}` },
      body: '{"payloads": [',
    });
    expect(response.status).toBe(400);
    expect((await readJson(response)).error.code).toBe('invalid_json');
  });

  it('answers an oversized body with 413 before reading it all', async () => {
    const response = await fetch(`${system.url}/codec/encode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payloads: [{ data: 'A'.repeat(10_000) }] }),
    });
    expect(response.status).toBe(413);
    expect((await readJson(response)).error.code).toBe('payload_too_large');
  });

  it('answers a method the path does not declare (TRACE) with 405 and the declared methods in Allow', async () => {
    const response = await rawRequest(`${system.url}/api/v1/users/some-user`, 'TRACE');
    expect([response.status, response.allow]).toEqual([405, 'GET, HEAD, PATCH']);
    expect(JSON.parse(response.body).error.code).toBe('method_not_allowed');
  });

  it('answers OPTIONS with 405 where no CORS preflight is served, and lists OPTIONS in Allow where one is', async () => {
    const plain = await rawRequest(`${system.url}/healthz`, 'OPTIONS');
    expect([plain.status, plain.allow]).toEqual([405, 'GET, HEAD']);
    const codec = await rawRequest(`${system.url}/codec/encode`, 'DELETE');
    expect([codec.status, codec.allow]).toEqual([405, 'OPTIONS, POST']);
  });

  it('answers a body of a media type the route does not declare with 415 unsupported_media_type', async () => {
    const response = await fetch(`${system.url}/codec/encode`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${testOperatorToken}` },
      body: 'payloads=x',
    });
    expect(response.status).toBe(415);
    expect((await readJson(response)).error.code).toBe('unsupported_media_type');
  });

  it('reads no body on a route that declares none, so a broken one does not matter there', async () => {
    const signOut = await fetch(`${system.url}/api/v1/auth/logout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"broken": ' });
    expect(signOut.status).toBe(401);
  });

  it('keeps a caller-supplied request id and makes one otherwise', async () => {
    const kept = await fetch(`${system.url}/healthz`, { headers: { 'x-request-id': 'trace-abc-12345' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-abc-12345');
    const made = await fetch(`${system.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers (helmet) and no X-Powered-By', async () => {
    const response = await fetch(`${system.url}/healthz`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBeTruthy();
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('never logs credentials or request bodies', async () => {
    await fetch(`${system.url}/codec/CANARY-path-token/encode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer CANARY-bearer', cookie: 'session=CANARY-cookie' },
      body: JSON.stringify({ payloads: [{ data: Buffer.from('CANARY-body').toString('base64') }] }),
    });
    await fetch(`${system.url}/codec/encode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-twilio-signature': 'CANARY-signature' },
      body: '{"text": "CANARY-in-broken-json',
    });
    const logged = system.logs.text();
    expect(logged).toContain('/codec/[redacted]/encode');
    expect(logged).not.toContain('CANARY');
  });
});
