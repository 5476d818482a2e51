import { withQuery } from '../api/client';
import type { Granularity, GroupBy } from './report-types';
import { addDays, browserTimeZone, isDate, startOfDay, todayIn } from './zoned-dates';

/** What the reports page shows: whole days from `from` to `to` (both included), local to `timeZone`. */
export interface ReportQuery {
  from: string;
  to: string;
  timeZone: string;
  granularity: Granularity;
  groupBy: GroupBy;
}

const maxDays = 366;

export function lastSevenDays(): ReportQuery {
  const timeZone = browserTimeZone();
  const to = todayIn(timeZone);
  return { from: addDays(to, -6), to, timeZone, granularity: 'day', groupBy: 'channel' };
}

/** Why the query cannot be asked, in words, or undefined when it can. */
export function queryProblem(query: ReportQuery): string | undefined {
  if (!isDate(query.from) || !isDate(query.to)) return 'Enter both dates.';
  if (query.from > query.to) return 'The start date must be on or before the end date.';
  if (Date.parse(query.to) - Date.parse(query.from) >= maxDays * 86_400_000) return `A report may span at most ${maxDays} days.`;
  return undefined;
}

function range(query: ReportQuery) {
  return { from: startOfDay(query.from, query.timeZone), to: startOfDay(addDays(query.to, 1), query.timeZone) };
}

export const volumesPath = (query: ReportQuery) =>
  withQuery('/api/v1/reports/volumes', { ...range(query), timeZone: query.timeZone, granularity: query.granularity, groupBy: query.groupBy });

export const summaryPath = (query: ReportQuery) => withQuery('/api/v1/reports/summary', range(query));

export const groupByLabels: Record<GroupBy, string> = { channel: 'Channel', entryPoint: 'Entry point', queue: 'Queue' };

/** A bucket's local start as people read it: the day, or the day and hour. */
export function bucketText(bucket: string, granularity: Granularity): string {
  return granularity === 'day' ? bucket.slice(0, 10) : bucket.replace('T', ' ');
}
