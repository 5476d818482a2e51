import { useEffect, useState } from 'preact/hooks';
import { get } from '../api/client';
import type { ReportSummary, VolumeRow } from './report-types';
import { summaryPath, volumesPath, type ReportQuery } from './report-query';

export interface Report {
  query: ReportQuery;
  volumes: VolumeRow[];
  summary: ReportSummary;
}

export type ReportState = { kind: 'loading' } | { kind: 'failed'; error: unknown } | { kind: 'ready'; report: Report };

/** The volumes and summary of `query`, read again whenever it changes (or `attempt` does: try again). */
export function useReport(query: ReportQuery, attempt: number): ReportState {
  const [state, setState] = useState<ReportState>({ kind: 'loading' });
  useEffect(() => {
    let stopped = false;
    setState({ kind: 'loading' });
    Promise.all([get<{ items: VolumeRow[] }>(volumesPath(query)), get<ReportSummary>(summaryPath(query))]).then(
      ([volumes, summary]) => {
        if (!stopped) setState({ kind: 'ready', report: { query, volumes: volumes.items, summary } });
      },
      (error: unknown) => {
        if (!stopped) setState({ kind: 'failed', error });
      },
    );
    return () => {
      stopped = true;
    };
  }, [query, attempt]);
  return state;
}
