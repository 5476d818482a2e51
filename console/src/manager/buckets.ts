import type { ReportQuery } from './report-query';
import { addDays, hourLabel, startOfDay } from './zoned-dates';

export interface Bucket {
  /** The bucket's start instant (ISO): tells apart the two local 01:00 hours of a fall-back night. */
  start: string;
  /** Local wall-clock start, as the server labels it (`2026-03-29T00:00`). */
  bucket: string;
}

/** Beyond this the chart shows only buckets with activity (hours over months would be unreadable anyway). */
const maxBuckets = 1_000;

/**
 * Every bucket of the range, quiet ones included, so the chart's time axis has no silent gaps.
 * Hours are stepped in real time from local midnight, so days that change offset get 23 or 25 of them.
 */
export function bucketsOf(query: ReportQuery): Bucket[] {
  const buckets: Bucket[] = [];
  if (query.granularity === 'day') {
    for (let date = query.from; date <= query.to && buckets.length < maxBuckets; date = addDays(date, 1)) {
      buckets.push({ start: startOfDay(date, query.timeZone), bucket: `${date}T00:00` });
    }
  } else {
    const end = Date.parse(startOfDay(addDays(query.to, 1), query.timeZone));
    for (let at = Date.parse(startOfDay(query.from, query.timeZone)); at < end && buckets.length < maxBuckets; at += 3_600_000) {
      buckets.push({ start: new Date(at).toISOString(), bucket: hourLabel(at, query.timeZone) });
    }
  }
  return buckets.length < maxBuckets ? buckets : [];
}
