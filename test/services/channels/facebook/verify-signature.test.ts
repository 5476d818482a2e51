import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyFacebookSignature } from '../../../../services/channels/facebook/verify-signature.js';

const appSecret = 'facebook-app-secret-0123456789abcdef';
const rawBody = Buffer.from('{"object":"page","entry":[{"id":"104857600123456","messaging":[{"message":{"text":"Hi"}}]}]}');
const sign = (body: Buffer, secret = appSecret) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('verifyFacebookSignature', () => {
  it('accepts a body signed with the app secret', () => {
    expect(verifyFacebookSignature({ appSecret, rawBody, signatureHeader: sign(rawBody) })).toBe(true);
  });

  it('rejects a signature made with another secret', () => {
    expect(verifyFacebookSignature({ appSecret, rawBody, signatureHeader: sign(rawBody, 'another-secret') })).toBe(false);
  });

  it('rejects a body changed after signing', () => {
    const tampered = Buffer.from(rawBody.toString().replace('"Hi"', '"Ho"'));
    expect(verifyFacebookSignature({ appSecret, rawBody: tampered, signatureHeader: sign(rawBody) })).toBe(false);
  });

  it('rejects a request without the header', () => {
    expect(verifyFacebookSignature({ appSecret, rawBody, signatureHeader: undefined })).toBe(false);
    expect(verifyFacebookSignature({ appSecret, rawBody, signatureHeader: '' })).toBe(false);
  });

  it.each([
    ['no algorithm prefix', sign(rawBody).slice('sha256='.length)],
    ['the legacy sha1 prefix', sign(rawBody).replace('sha256=', 'sha1=')],
    ['a truncated digest', sign(rawBody).slice(0, -2)],
    ['non-hex characters', `sha256=${'z'.repeat(64)}`],
  ])('rejects, without throwing, a malformed header: %s', (_case, signatureHeader) => {
    expect(verifyFacebookSignature({ appSecret, rawBody, signatureHeader })).toBe(false);
  });
});
