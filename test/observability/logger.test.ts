import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactUrl } from '../../observability/logger.js';
import { captureLogs } from '../support/log-capture.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

describe('logger', () => {
  it('redacts secrets and message content at any of the first three levels', () => {
    const { logger, text } = captureLogs();
    logger.info(
      {
        password: 'CANARY-password',
        channel: { authToken: 'CANARY-auth-token', pageAccessToken: 'CANARY-page-token' },
        inbound: { message: { text: 'CANARY-text', Body: 'CANARY-sms-body' } },
        form: { cvv: 'CANARY-cvv' },
      },
      'event',
    );
    expect(text()).not.toContain('CANARY');
    expect(text()).toContain('[redacted]');
  });

  it('redacts current and new passwords and the secure-form field names', () => {
    const { logger, text } = captureLogs();
    logger.info({ currentPassword: 'CANARY-current', newPassword: 'CANARY-new', oldPassword: 'CANARY-old' }, 'password change');
    logger.info({ nameOnCard: 'CANARY-name', expiry: 'CANARY-expiry', secretAnswer: 'CANARY-answer', submitKey: 'CANARY-submit-key' }, 'form');
    expect(text()).not.toContain('CANARY');
  });

  it('redacts sensitive fields at any depth, inside arrays too', () => {
    const { logger, text } = captureLogs();
    logger.info({ request: { body: 'CANARY-body' }, a: { b: { c: { d: { e: { password: 'CANARY-deep' } } } } } }, 'nested');
    logger.info({ forms: [{ fields: [{ name: 'cardNumber', values: ['CANARY-in-array'] }] }] }, 'array');
    expect(text()).not.toContain('CANARY');
  });

  it('redacts field names whatever their case or separators', () => {
    const { logger, text } = captureLogs();
    logger.info({ headers: { Authorization: 'CANARY-auth', 'X-Operator-Token': 'CANARY-operator' }, current_password: 'CANARY-snake', CardNumber: 'CANARY-card' }, 'x');
    expect(text()).not.toContain('CANARY');
  });

  it('redacts sensitive properties of errors and their causes, and keeps the error type', () => {
    const { logger, lines } = captureLogs();
    const cause = Object.assign(new Error('inner'), { request: { body: { cvv: 'CANARY-cause' } } });
    logger.error({ err: Object.assign(new TypeError('outer', { cause }), { input: { form: { answers: { ssn: 'CANARY-own' } } } }) }, 'failed');
    expect(lines.join('\n')).not.toContain('CANARY');
    expect(JSON.parse(lines[0]!).err.type).toBe('TypeError');
  });

  it('does not change the objects it logs', () => {
    const { logger } = captureLogs();
    const logged = { user: { password: 'kept' } };
    logger.info(logged, 'x');
    expect(logged.user.password).toBe('kept');
  });

  it('keeps ids and error messages readable', () => {
    const { logger, lines } = captureLogs();
    logger.error({ conversationId: 'c-42', err: new Error('provider answered 429') }, 'send failed');
    const entry = JSON.parse(lines[0]!);
    expect(entry.conversationId).toBe('c-42');
    expect(entry.err.message).toBe('provider answered 429');
  });

  it('removes the operator token from codec URLs and secret-looking query values', () => {
    expect(redactUrl('/codec/CANARY-token/decode')).toBe('/codec/[redacted]/decode');
    expect(redactUrl('/webhooks/facebook?hub.mode=subscribe&hub.verify_token=CANARY&hub.challenge=42')).toBe(
      '/webhooks/facebook?hub.mode=subscribe&hub.verify_token=%5Bredacted%5D&hub.challenge=%5Bredacted%5D',
    );
    expect(redactUrl('/api/v1/conversations?limit=10')).toBe('/api/v1/conversations?limit=10');
  });

  it('removes the codec token whatever the case, a trailing slash, encoding or extra segments', () => {
    for (const url of ['/codec/CANARY/decode/', '/CODEC/CANARY/ENCODE', '/Codec/CANARY/decode?x=1', '/codec/CANARY', '//codec//CANARY/encode', '/%63odec/CANARY/encode', '/codec/encode/CANARY']) {
      expect(redactUrl(url)).not.toContain('CANARY');
    }
    expect(redactUrl('/CODEC/CANARY/ENCODE/')).toBe('/CODEC/[redacted]/ENCODE/');
    expect(redactUrl('/codec/encode')).toBe('/codec/encode');
  });

  it('removes secure-form keys whatever their length, the case of the path or a trailing slash', () => {
    for (const url of ['/forms/CANARY-short', '/FORMS/CANARY_aaaaaaaaaaaaaaaaaaaaa', '/forms/CANARY_aaaaaaaaaaaaaaaaaaaaa/']) {
      expect(redactUrl(url)).not.toContain('CANARY');
    }
  });
});

describe('request logs of the real app', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem();
  }, 60_000);
  afterAll(() => system?.stop());

  it('carry no form key, form answer or password, whatever the URL\'s case or trailing slash', async () => {
    const key = 'CANARYkeyaaaaaaaaaaaaaaaaaaaaaaaa';
    const form = new URLSearchParams({ submitKey: 'CANARY-submit', nameOnCard: 'CANARY-name', cardNumber: '4111111111111111' });
    for (const path of [`/forms/${key}`, `/FORMS/${key}`, `/forms/${key}/`]) {
      await fetch(`${system.url}${path}`);
      await fetch(`${system.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    }
    await fetch(`${system.url}/api/v1/me/password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer CANARY-bearer' },
      body: JSON.stringify({ currentPassword: 'CANARY-current', newPassword: 'CANARY-new-password' }),
    });
    await expect.poll(() => system.logs.lines.filter((line) => line.includes('"statusCode"')).length).toBeGreaterThanOrEqual(7);
    expect(system.logs.text()).toContain('/forms/[redacted]');
    expect(system.logs.text()).not.toContain('CANARY');
    expect(system.logs.text()).not.toContain('4111111111111111');
  });
});
