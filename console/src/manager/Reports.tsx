import { useState } from 'preact/hooks';
import { DownloadButton } from './DownloadButton';
import { LoadFailed, Loading } from './PageStates';
import { ReportFilters } from './ReportFilters';
import { lastSevenDays, summaryPath, type ReportQuery } from './report-query';
import { SummaryFigures } from './SummaryFigures';
import { useAgentNames } from './useAgentNames';
import { useReport } from './useReport';
import { VolumesSection } from './VolumesSection';
import './manager.css';

const rangeText = (query: ReportQuery) => `${query.from} to ${query.to} (${query.timeZone})`;

/** Reports over whole local days: service figures, volumes as a chart and a table, CSV downloads. */
export function Reports() {
  const [query, setQuery] = useState(lastSevenDays);
  const [attempt, setAttempt] = useState(0);
  const state = useReport(query, attempt);
  const agentNames = useAgentNames();

  return (
    <section class="stack manager-page">
      <h1>Reports</h1>
      <ReportFilters query={query} onApply={setQuery} />
      {state.kind === 'loading' && <Loading what="reports" />}
      {state.kind === 'failed' && <LoadFailed error={state.error} onRetry={() => setAttempt((n) => n + 1)} />}
      {state.kind === 'ready' && (
        <>
          <p class="hint" role="status">Showing {rangeText(state.report.query)}.</p>
          <section class="stack" aria-labelledby="summary-heading">
            <h2 id="summary-heading">Summary</h2>
            <DownloadButton label="Download summary CSV" path={summaryPath(state.report.query)} fileName={`summary-${state.report.query.from}-to-${state.report.query.to}.csv`} />
            <SummaryFigures summary={state.report.summary} agentNames={agentNames} />
          </section>
          <VolumesSection report={state.report} rangeText={rangeText(state.report.query)} />
        </>
      )}
    </section>
  );
}
