import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { verifyTwilioSignature } from '../../../../services/channels/twilio/verify-signature.js';

const authToken = 'twilio-auth-token-webhooks-0123456';
const url = 'https://gw.example.com/webhooks/twilio/sms';
const params = { MessageSid: 'SM0123456789abcdef0123456789abcdef', From: '+447700900123', To: '+15005550006', Body: 'Hello' };
const sign = (signingUrl: string, token = authToken) => twilio.getExpectedTwilioSignature(token, signingUrl, params);

describe('verifyTwilioSignature', () => {
  it('accepts a request signed by Twilio with the auth token', () => {
    expect(verifyTwilioSignature({ authToken, signature: sign(url), url, params })).toBe(true);
  });

  it('rejects a signature made with another auth token', () => {
    expect(verifyTwilioSignature({ authToken, signature: sign(url, 'another-auth-token'), url, params })).toBe(false);
  });

  it('rejects a request whose parameters were changed after signing', () => {
    expect(verifyTwilioSignature({ authToken, signature: sign(url), url, params: { ...params, Body: 'Hello!' } })).toBe(false);
  });

  it('rejects a request without a signature', () => {
    expect(verifyTwilioSignature({ authToken, signature: undefined, url, params })).toBe(false);
    expect(verifyTwilioSignature({ authToken, signature: '', url, params })).toBe(false);
  });

  it('rejects a signature made for another URL', () => {
    const signature = sign('https://gw.example.com/webhooks/twilio/other');
    expect(verifyTwilioSignature({ authToken, signature, url, params })).toBe(false);
  });

  it('checks the query string as part of the URL', () => {
    const withQuery = `${url}?channel=ch-1&brand=acme`;
    expect(verifyTwilioSignature({ authToken, signature: sign(withQuery), url: withQuery, params })).toBe(true);
    expect(verifyTwilioSignature({ authToken, signature: sign(withQuery), url, params })).toBe(false);
    expect(verifyTwilioSignature({ authToken, signature: sign(url), url: withQuery, params })).toBe(false);
  });

  it('rejects, without throwing, a URL that does not parse', () => {
    expect(verifyTwilioSignature({ authToken, signature: sign(url), url: 'not a url', params })).toBe(false);
  });
});
