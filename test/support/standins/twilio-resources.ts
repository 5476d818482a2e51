import type { RecordedRequest, Reply } from './http-standin.js';

/** What the stand-in keeps of an accepted message. */
export interface StoredMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  body: string;
  mediaUrls: string[];
  dateCreated: Date;
}

const defaultMessages: Record<number, string> = {
  20003: 'Authenticate', 20429: 'Too Many Requests', 20500: 'Internal Server Error', 20503: 'Service Unavailable',
  21610: 'Attempt to send to unsubscribed recipient', 21211: "Invalid 'To' Phone Number",
};

/** Twilio's REST error body: `{ code, message, more_info, status }`. */
export function twilioError(status: number, code: number, message?: string, headers?: Record<string, string>): Reply {
  const body = { code, message: message ?? defaultMessages[code] ?? 'Error', more_info: `https://www.twilio.com/docs/errors/${code}`, status };
  return { status, body, headers };
}

const rfc2822 = (date: Date) => date.toUTCString().replace('GMT', '+0000');

function segments(body: string): number {
  const chars = [...body].length;
  const [single, multi] = /^[\x0a\x0d\x20-\x7e]*$/.test(body) ? [160, 153] : [70, 67];
  return chars <= single ? 1 : Math.ceil(chars / multi);
}

/** The message resource as Twilio's JSON represents it. */
export function resource(message: StoredMessage, status: 'queued' | 'sent') {
  const uri = `/2010-04-01/Accounts/${message.accountSid}/Messages/${message.sid}`;
  return {
    account_sid: message.accountSid, api_version: '2010-04-01', body: message.body,
    date_created: rfc2822(message.dateCreated), date_updated: rfc2822(message.dateCreated),
    date_sent: status === 'queued' ? null : rfc2822(message.dateCreated),
    direction: 'outbound-api', error_code: null, error_message: null, from: message.from, messaging_service_sid: null,
    num_media: String(message.mediaUrls.length), num_segments: String(segments(message.body)), price: null, price_unit: 'USD',
    sid: message.sid, status, subresource_uris: { media: `${uri}/Media.json` }, to: message.to, uri: `${uri}.json`,
  };
}

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;
const comparisons = {
  DateSent: (sent: number, limit: number) => sent === limit,
  'DateSent<': (sent: number, limit: number) => sent <= limit,
  'DateSent>': (sent: number, limit: number) => sent >= limit,
};

/** Twilio's DateSent filters (`DateSent>=…` on the wire): a day (`2026-05-01`) compares by day, a date-time at whole seconds. */
function dateSentFilter(query: URLSearchParams): ((sent: Date) => boolean) | string {
  const checks: ((sent: Date) => boolean)[] = [];
  for (const [key, compare] of Object.entries(comparisons)) {
    const value = query.get(key);
    if (value === null) continue;
    if (Number.isNaN(Date.parse(value))) return `Invalid ${key} date: ${value}`;
    const byDay = dateOnly.test(value);
    const truncate = (time: number) => (byDay ? time - (time % 86_400_000) : time - (time % 1000));
    const limit = truncate(Date.parse(byDay ? `${value}T00:00:00Z` : value));
    checks.push((sent) => compare(truncate(sent.getTime()), limit));
  }
  return (sent) => checks.every((check) => check(sent));
}

/** GET Messages.json: filtered by To, From and DateSent, newest first, paged like Twilio (PageSize, Page). */
export function listMessages(messages: StoredMessage[], request: RecordedRequest, defaultPageSize = 50): Reply {
  const { query } = request;
  const filter = dateSentFilter(query);
  if (typeof filter === 'string') return twilioError(400, 20001, filter);
  // Reversed first so that, within one millisecond, the later message still comes first.
  const matching = [...messages].reverse()
    .filter((m) => (query.get('To') ?? m.to) === m.to && (query.get('From') ?? m.from) === m.from && filter(m.dateCreated))
    .sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime());
  const pageSize = Math.min(Number(query.get('PageSize') ?? defaultPageSize), 1000);
  const page = Number(query.get('Page') ?? 0);
  const start = page * pageSize;
  const pageUri = (n: number) => {
    const params = new URLSearchParams(query);
    params.set('PageSize', String(pageSize));
    params.set('Page', String(n));
    return `${request.path}?${params.toString()}`;
  };
  const items = matching.slice(start, start + pageSize);
  return {
    status: 200,
    body: {
      messages: items.map((m) => resource(m, 'sent')),
      uri: pageUri(page), first_page_uri: pageUri(0),
      next_page_uri: start + pageSize < matching.length ? pageUri(page + 1) : null,
      previous_page_uri: page > 0 ? pageUri(page - 1) : null,
      page, page_size: pageSize, start, end: start + Math.max(items.length - 1, 0),
    },
  };
}
