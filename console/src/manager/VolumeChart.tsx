import { useEffect, useMemo, useRef } from 'preact/hooks';
import { Chart, seriesColours } from './chart-setup';
import { formatNumber } from './format';
import { bucketsOf } from './buckets';
import type { VolumeMetric, VolumeRow } from './report-types';
import { bucketText, type ReportQuery } from './report-query';
import { groupNoun, metricLabels, toSeries, type VolumeSeries } from './volumes';

interface Props {
  rows: VolumeRow[];
  metric: VolumeMetric;
  query: ReportQuery;
  rangeText: string;
}

/** What the chart shows, in words (the table below is the full equivalent). */
function describe(props: Props, series: VolumeSeries): string {
  const parts = series.groups.map((group) => `${group.group} ${formatNumber(group.total)}`).join(', ');
  return `Stacked bar chart of ${metricLabels[props.metric].toLowerCase()} per ${props.query.granularity} by ${groupNoun[props.query.groupBy]}, ${props.rangeText}. `
    + `Totals: ${parts || 'none'}. The table below lists every figure.`;
}

/** Stacked bars, one colour per group; chart.js draws on the canvas and styles it through the CSSOM only. */
export function VolumeChart(props: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const range = useMemo(() => bucketsOf(props.query), [props.query]);
  const series = toSeries(props.rows, props.metric, range);

  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: series.buckets.map((b) => bucketText(b.bucket, props.query.granularity)),
        datasets: series.groups.map((group, i) => ({
          label: group.group,
          data: group.values,
          backgroundColor: seriesColours[i % seriesColours.length],
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: { stacked: true },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: metricLabels[props.metric] } },
        },
        plugins: { legend: { position: 'bottom' } },
      },
    });
    return () => chart.destroy();
  }, [props.rows, props.metric, range]);

  return (
    <div class="chart-box">
      <canvas ref={canvas} role="img" aria-label={describe(props, series)} />
    </div>
  );
}
