import type { Db } from 'mongodb';
import { read, readInBatches, reportQueries } from './queries.js';
import type { ReportRange } from './time-buckets.js';

export interface DurationFigure {
  count: number;
  averageSeconds: number | null;
  medianSeconds?: number | null;
}

export interface Summary {
  from: string;
  to: string;
  firstResponse: Required<DurationFigure>;
  handleTime: DurationFigure;
  messages: { delivered: number; failed: number; other: number };
  conversationsPerAgent: { agentId: string; conversations: number }[];
  unassignedConversations: number;
  secureForms: { sent: number; submitted: number; expired: number };
}

const seconds = (ms: number) => Math.round(ms) / 1000;
const average = (values: number[]) => (values.length ? seconds(values.reduce((a, b) => a + b, 0) / values.length) : null);
function median(values: number[]) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return seconds(sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** Per conversation opened in range: first agent reply after the first inbound message, minus that inbound message. */
async function firstResponses(db: Db, brandId: string, conversationIds: string[]): Promise<number[]> {
  const firstIn = new Map<string, number>();
  const agentOut = new Map<string, number[]>();
  for await (const m of readInBatches(db, conversationIds, (ids) => reportQueries.messagesOf(brandId, ids))) {
    const at = m.createdAt.getTime();
    if (m.direction === 'inbound') firstIn.set(m.conversationId, Math.min(at, firstIn.get(m.conversationId) ?? Infinity));
    else if (m.direction === 'outbound' && m.agentId) agentOut.set(m.conversationId, [...(agentOut.get(m.conversationId) ?? []), at]);
  }
  const result: number[] = [];
  for (const [id, inbound] of firstIn) {
    const replies = (agentOut.get(id) ?? []).filter((at) => at >= inbound);
    if (replies.length) result.push(Math.min(...replies) - inbound);
  }
  return result;
}

export async function summary(db: Db, brandId: string, range: ReportRange): Promise<Summary> {
  const opened: string[] = [];
  const perAgent = new Map<string, number>();
  let unassigned = 0;
  for await (const c of read(db, reportQueries.conversationsOpened(brandId, range))) {
    opened.push(c._id);
    if (c.agentId) perAgent.set(c.agentId, (perAgent.get(c.agentId) ?? 0) + 1);
    else unassigned += 1;
  }
  const responses = await firstResponses(db, brandId, opened);

  const handles: number[] = [];
  for await (const c of read(db, reportQueries.conversationsClosed(brandId, range))) {
    if (c.closedAt && c.openedAt) handles.push(c.closedAt.getTime() - c.openedAt.getTime());
  }

  const messages = { delivered: 0, failed: 0, other: 0 };
  for await (const m of read(db, reportQueries.messagesCreated(brandId, range))) {
    if (m.direction !== 'outbound') continue;
    if (m.status === 'delivered' || m.status === 'read') messages.delivered += 1;
    else if (m.status === 'failed' || m.status === 'undelivered') messages.failed += 1;
    else messages.other += 1;
  }

  const secureForms = { sent: 0, submitted: 0, expired: 0 };
  for await (const f of read(db, reportQueries.formsSent(brandId, range))) {
    secureForms.sent += 1;
    if (f.status === 'submitted') secureForms.submitted += 1;
    if (f.status === 'expired') secureForms.expired += 1;
  }

  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    firstResponse: { count: responses.length, averageSeconds: average(responses), medianSeconds: median(responses) },
    handleTime: { count: handles.length, averageSeconds: average(handles) },
    messages,
    conversationsPerAgent: [...perAgent].sort(([a], [b]) => a.localeCompare(b)).map(([agentId, conversations]) => ({ agentId, conversations })),
    unassignedConversations: unassigned,
    secureForms,
  };
}

/** One CSV row per figure. */
export function summaryFigures(s: Summary): [string, string | number][] {
  const value = (v: number | null | undefined) => (v === null || v === undefined ? '' : v);
  return [
    ['firstResponse.count', s.firstResponse.count],
    ['firstResponse.averageSeconds', value(s.firstResponse.averageSeconds)],
    ['firstResponse.medianSeconds', value(s.firstResponse.medianSeconds)],
    ['handleTime.count', s.handleTime.count],
    ['handleTime.averageSeconds', value(s.handleTime.averageSeconds)],
    ['messages.delivered', s.messages.delivered],
    ['messages.failed', s.messages.failed],
    ['messages.other', s.messages.other],
    ...s.conversationsPerAgent.map((a): [string, number] => [`conversationsPerAgent.${a.agentId}`, a.conversations]),
    ['conversationsPerAgent.unassigned', s.unassignedConversations],
    ['secureForms.sent', s.secureForms.sent],
    ['secureForms.submitted', s.secureForms.submitted],
    ['secureForms.expired', s.secureForms.expired],
  ];
}
