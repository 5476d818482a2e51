import type { Bucket } from './buckets';
import type { GroupBy, VolumeMetric, VolumeRow } from './report-types';

export const metricLabels: Record<VolumeMetric, string> = {
  conversationsOpened: 'Conversations opened',
  messagesInbound: 'Messages received',
  messagesOutbound: 'Messages sent',
};

export interface VolumeSeries {
  buckets: Bucket[];
  groups: { group: string; values: number[]; total: number }[];
}

/** One series per group over `range` (every bucket of the range) plus any bucket a row has that the range lacks. */
export function toSeries(rows: VolumeRow[], metric: VolumeMetric, range: Bucket[]): VolumeSeries {
  const byStart = new Map(range.map((bucket) => [bucket.start, bucket]));
  for (const row of rows) if (!byStart.has(row.start)) byStart.set(row.start, { start: row.start, bucket: row.bucket });
  const buckets = [...byStart.values()].sort((a, b) => a.start.localeCompare(b.start));
  const index = new Map(buckets.map((bucket, i) => [bucket.start, i]));
  const groups = new Map<string, number[]>();
  for (const row of rows) {
    let values = groups.get(row.group);
    if (!values) groups.set(row.group, (values = new Array<number>(buckets.length).fill(0)));
    values[index.get(row.start)!]! += row[metric];
  }
  return {
    buckets,
    groups: [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([group, values]) => ({ group, values, total: values.reduce((sum, v) => sum + v, 0) })),
  };
}

export function totals(rows: VolumeRow[]) {
  return rows.reduce(
    (sum, row) => ({
      conversationsOpened: sum.conversationsOpened + row.conversationsOpened,
      messagesInbound: sum.messagesInbound + row.messagesInbound,
      messagesOutbound: sum.messagesOutbound + row.messagesOutbound,
    }),
    { conversationsOpened: 0, messagesInbound: 0, messagesOutbound: 0 },
  );
}

export const groupNoun: Record<GroupBy, string> = { channel: 'channel', entryPoint: 'entry point', queue: 'queue' };
