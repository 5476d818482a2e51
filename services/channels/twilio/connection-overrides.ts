/**
 * Connection overrides Switchboard asks Twilio to use for its webhooks, appended to the URL as a
 * fragment: https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides
 *
 * `rc=5`: five retries instead of the default one (5 is the maximum); `rp=all`: retry on every
 * kind of failure the retry policy knows (timeouts and HTTP error answers such as our 503), not
 * only the default kinds. Twilio still gives up within `tt` (15 s at most), so this rides out an
 * API restart, not a Temporal outage: the inbound journal does that (README, "Inbound journal").
 *
 * The fragment never reaches our server. Twilio signs "the exact URL your application supplied"
 * (https://www.twilio.com/docs/usage/webhooks/webhooks-security) and its docs do not say whether
 * that includes the fragment, so signatures are checked against the URL with and without it.
 */
export const TWILIO_CONNECTION_OVERRIDES = '#rc=5&rp=all';

/** The URLs a Twilio signature may have been computed over, for a request to `url` (which has no fragment). */
export const twilioSignedUrlCandidates = (url: string) => [url, `${url}${TWILIO_CONNECTION_OVERRIDES}`];
