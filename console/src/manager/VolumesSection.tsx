import { useState } from 'preact/hooks';
import { DownloadButton } from './DownloadButton';
import type { VolumeMetric } from './report-types';
import { volumesPath } from './report-query';
import type { Report } from './useReport';
import { VolumeChart } from './VolumeChart';
import { VolumeTable } from './VolumeTable';
import { metricLabels } from './volumes';

/** Volumes over the range: a chart of one measure, the table of all, and the CSV. */
export function VolumesSection(props: { report: Report; rangeText: string }) {
  const { query, volumes } = props.report;
  const [metric, setMetric] = useState<VolumeMetric>('conversationsOpened');
  return (
    <section class="stack" aria-labelledby="volumes-heading">
      <h2 id="volumes-heading">Volumes</h2>
      <DownloadButton label="Download CSV" path={volumesPath(query)} fileName={`volumes-${query.from}-to-${query.to}.csv`} />
      {!volumes.length ? (
        <p class="hint">No conversations or messages in this range.</p>
      ) : (
        <>
          <label class="inline-field">
            Chart shows
            <select value={metric} onChange={(e) => setMetric(e.currentTarget.value as VolumeMetric)}>
              {(Object.keys(metricLabels) as VolumeMetric[]).map((key) => <option key={key} value={key}>{metricLabels[key]}</option>)}
            </select>
          </label>
          <VolumeChart rows={volumes} metric={metric} query={query} rangeText={props.rangeText} />
          <VolumeTable rows={volumes} granularity={query.granularity} groupBy={query.groupBy} />
        </>
      )}
    </section>
  );
}
