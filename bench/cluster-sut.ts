import type { RunningCluster } from '../scripts/cluster/cluster.js';
import { processCpuMs } from './server-processes.js';
import type { SystemUnderTest } from './sut-process.js';

/**
 * The cluster's API replicas and workers seen as one system under test, for bench/ingest.ts: their
 * CPU is the sum read from /proc (they are separate processes, not one that answers over IPC).
 * Memory, the database profile and the system check are not measured there.
 */
export function clusterSystemUnderTest(cluster: RunningCluster): SystemUnderTest {
  const processes = () => [...cluster.apis, ...cluster.workers];
  const cpuMicros = () => processes().reduce((sum, each) => sum + (processCpuMs(each.pid) ?? 0) * 1000, 0);
  const sample = async () => ({ cpuMicros: cpuMicros(), rssBytes: 0, heapUsedBytes: 0, externalBytes: 0, cachedWorkflows: 0 });
  return {
    apiUrl: cluster.apis[0]!.url!,
    pid: cluster.apis[0]!.pid,
    sample,
    collectGarbage: sample,
    systemCheck: () => Promise.reject(new Error('no system check on the cluster')),
    dbProfile: async () => ({}),
    warnings: () => ({}),
    stop: () => cluster.stop(),
  };
}
