import { createHmac, timingSafeEqual } from 'node:crypto';

export interface VerifyFacebookSignatureInput {
  appSecret: string;
  /** The request body exactly as received: re-serialised JSON does not match the signature. */
  rawBody: Buffer;
  /** The X-Hub-Signature-256 header: `sha256=<hex>`. */
  signatureHeader: string | undefined;
}

const headerPattern = /^sha256=([0-9a-f]{64})$/i;

/** Whether a webhook request was signed with the app secret (HMAC-SHA256 of the raw body). */
export function verifyFacebookSignature(input: VerifyFacebookSignatureInput): boolean {
  const match = headerPattern.exec(input.signatureHeader?.trim() ?? '');
  if (!match?.[1] || !input.appSecret) return false;
  const received = Buffer.from(match[1], 'hex');
  const expected = createHmac('sha256', input.appSecret).update(input.rawBody).digest();
  return received.length === expected.length && timingSafeEqual(received, expected);
}
