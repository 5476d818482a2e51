import twilio from 'twilio';

export interface VerifyTwilioSignatureInput {
  authToken: string;
  /** The X-Twilio-Signature header. */
  signature: string | undefined;
  /** The full public URL Twilio called, query string included (behind a proxy: PUBLIC_BASE_URL + path). */
  url: string;
  /** The form-encoded POST parameters. */
  params: Record<string, string>;
}

/** Whether a webhook request was signed by Twilio with this auth token. */
export function verifyTwilioSignature(input: VerifyTwilioSignatureInput): boolean {
  if (!input.signature || !input.authToken) return false;
  try {
    return twilio.validateRequest(input.authToken, input.signature, input.url, input.params);
  } catch {
    return false; // an unparsable URL
  }
}
