import type { ClusterIngest } from './cluster-ingest.js';
import type { FigureRow } from './figure-rows.js';
import type { Ingest } from './ingest.js';
import type { Floor } from './scenarios/floor.js';
import { round2 } from './stats.js';

const ratio = (value: number, floor: number) => (Number.isFinite(value) && floor > 0 ? round2(value / floor) : null);
const finite = (value: number) => (Number.isFinite(value) ? value : null);
const LABEL = 'Cluster ingest (64)';

/**
 * The cluster's rows for the results table: its own floor (against the dev server's of the same run),
 * then each worker count's ingest against the cluster's floor at 64 in flight, then 2 ÷ 1 workers.
 */
export function clusterRows(cluster: ClusterIngest | undefined, devServerFloor: Floor | undefined, failure?: string): FigureRow[] {
  if (failure || !cluster || cluster.skipped || !cluster.floor) {
    const why = failure ?? cluster?.skipped ?? 'not run';
    return [{ name: `${LABEL}, 1 and 2 workers: not measured (${why})`, value: null, unit: '/s', vsFloor: null, floor: null }];
  }
  const bare = cluster.floor.bare64;
  const rows: FigureRow[] = [
    { name: 'Cluster start-up (2 API replicas, 1 worker)', value: cluster.startSeconds ?? null, unit: 's', vsFloor: null, floor: null },
    {
      name: 'Cluster floor: bare signalWithStart, 64 in flight (Temporal server, PostgreSQL, 4 shards)', value: bare.perSecond, unit: '/s',
      vsFloor: devServerFloor ? ratio(bare.perSecond, devServerFloor.bare64.perSecond) : null, floor: 'dev server bare/s at 64',
    },
    {
      name: 'Cluster floor: bare signalWithStart p50, 64 in flight', value: finite(bare.p50Ms), unit: 'ms',
      vsFloor: devServerFloor ? ratio(bare.p50Ms, devServerFloor.bare64.p50Ms) : null, floor: 'dev server bare p50 at 64',
    },
  ];
  const ingest = (workers: string, figures: Ingest) => {
    const label = `${LABEL}, ${workers}`;
    const against = (name: string, value: number, floor: number, unit: string, what: string) =>
      rows.push({ name: `${label}: ${name}`, value: finite(value), unit, vsFloor: ratio(value, floor), floor: `cluster ${what} at 64` });
    against('fully processed', figures.processedPerSecond, bare.perSecond, '/s', 'bare/s');
    against('webhooks acknowledged', figures.ackPerSecond, bare.perSecond, '/s', 'bare/s');
    against('processing lag p50', figures.lag.p50Ms, bare.p50Ms, 'ms', 'bare p50');
    against('processing lag p99', figures.lag.p99Ms, bare.p99Ms, 'ms', 'bare p99');
    rows.push({ name: `${label}: unprocessed after drain`, value: figures.unprocessed, unit: 'messages', vsFloor: null, floor: null });
    rows.push({ name: `${label}: CPU of the API replicas and workers`, value: figures.cpu.systemUnderTestPercent, unit: '% of a core', vsFloor: null, floor: null });
    if (figures.cpu.temporalPercent !== undefined) rows.push({ name: `${label}: CPU of the Temporal server`, value: figures.cpu.temporalPercent, unit: '% of a core', vsFloor: null, floor: null });
    rows.push({ name: `${label}: CPU of the whole machine`, value: figures.cpu.machinePercent, unit: '% of a core', vsFloor: null, floor: null });
    if (figures.cpu.databasePercent !== undefined) rows.push({ name: `${label}: CPU of FerretDB`, value: figures.cpu.databasePercent, unit: '% of a core', vsFloor: null, floor: null });
  };
  if (cluster.oneWorker) ingest('1 worker', cluster.oneWorker);
  if (cluster.twoWorkers) ingest('2 workers', cluster.twoWorkers);
  if (cluster.oneWorker && cluster.twoWorkers) {
    const gain = cluster.oneWorker.processedPerSecond > 0 ? round2(cluster.twoWorkers.processedPerSecond / cluster.oneWorker.processedPerSecond) : null;
    rows.push({ name: `${LABEL}: fully processed, 2 workers ÷ 1 worker`, value: gain, unit: '×', vsFloor: null, floor: null });
  }
  return rows;
}
