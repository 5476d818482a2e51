import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../observability/logger.js';
import { captureLogs } from '../support/log-capture.js';

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
});
