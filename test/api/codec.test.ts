import { readJson } from '../support/http.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testOperatorToken } from '../support/settings.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem({ env: { CODEC_CORS_ORIGINS: 'http://localhost:8233' } });
});
afterAll(() => system?.stop());

const b64 = (text: string) => Buffer.from(text).toString('base64');
const jsonPayload = (value: unknown) => ({ metadata: { encoding: b64('json/plain') }, data: b64(JSON.stringify(value)) });

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${system.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}
const bearer = { authorization: `Bearer ${testOperatorToken}` };

describe('codec server', () => {
  it('refuses requests without the operator token', async () => {
    const response = await post('/codec/decode', { payloads: [] });
    expect(response.status).toBe(401);
    expect(await readJson(response)).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('refuses a wrong operator token, in the header or in the path', async () => {
    expect((await post('/codec/decode', { payloads: [] }, { authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(401);
    expect((await post('/codec/wrong-token/decode', { payloads: [] })).status).toBe(401);
  });

  it('encrypts with the bearer token and decrypts back to the original payload', async () => {
    const original = jsonPayload({ text: 'CANARY-codec' });
    const encoded = await readJson(await post('/codec/encode', { payloads: [original] }, bearer));
    expect(Buffer.from(encoded.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(encoded.payloads[0].data, 'base64').toString('latin1')).not.toContain('CANARY');

    const decoded = await readJson(await post('/codec/decode', encoded, bearer));
    expect(decoded).toEqual({ payloads: [original] });
  });

  it('accepts the token as a path segment, the way Temporal UI calls it', async () => {
    const original = jsonPayload('from the UI');
    const encoded = await readJson(await post(`/codec/${testOperatorToken}/encode`, { payloads: [original] }));
    const decoded = await post(`/codec/${testOperatorToken}/decode`, encoded, { 'x-namespace': 'default' });
    expect(decoded.status).toBe(200);
    expect(await readJson(decoded)).toEqual({ payloads: [original] });
  });

  it('answers CORS preflight for the Temporal UI origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${system.url}/codec/decode`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
      });
    const allowed = await preflight('http://localhost:8233');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/X-Namespace/i);

    const other = await preflight('http://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 400 for payloads that do not decrypt', async () => {
    const tampered = { payloads: [{ metadata: { encoding: b64('binary/encrypted'), 'encryption-key-id': b64('test-1') }, data: b64('garbage-garbage-garbage-garbage') }] };
    const response = await post('/codec/decode', tampered, bearer);
    expect(response.status).toBe(400);
    expect(await readJson(response)).toMatchObject({ error: { code: 'codec_failed' } });
  });

  it('answers 400 naming the field when the body is not Payloads', async () => {
    const response = await post('/codec/encode', { payloads: [{ data: 'not base64 !!' }] }, bearer);
    expect(response.status).toBe(400);
    const body = await readJson(response);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details).toEqual([expect.objectContaining({ in: 'body', path: 'payloads.0.data' })]);
  });

  it('keeps the operator token out of the request logs whatever the case of the path, a trailing slash or encoding', async () => {
    const variants = [`/codec/${testOperatorToken}/encode/`, `/CODEC/${testOperatorToken}/DECODE`, `/Codec/${testOperatorToken}/decode/?x=1`, `/codec/${encodeURIComponent(testOperatorToken).replace(/-/g, '%2D')}/encode`];
    for (const path of variants) await post(path, { payloads: [] });
    await expect.poll(() => variants.every((path) => system.logs.text().includes(`"url":"${path.slice(0, 7)}`))).toBe(true);
    expect(system.logs.text()).not.toContain(testOperatorToken);
    expect(system.logs.text()).not.toContain(testOperatorToken.replace(/-/g, '%2D'));
  });
});
