import { cpus } from 'node:os';
import { processCpuMs } from './server-processes.js';
import { round1 } from './stats.js';
import type { SystemUnderTest } from './sut-process.js';

/** CPU spent over a stretch of wall time, in % of one core: the system under test, this load generator, the servers, and the whole machine (anyone else too). */
export interface CpuShare {
  seconds: number;
  systemUnderTestPercent: number;
  loadGeneratorPercent: number;
  /** FerretDB and the Temporal dev server, when /proc lets us see them. */
  databasePercent?: number;
  temporalPercent?: number;
  machinePercent: number;
}

/** The servers' pids (server-processes.ts), measured beside the system under test. */
export type ServerPids = Partial<Record<'database' | 'temporal', number>>;
let serverPids: ServerPids = {};
export const watchServerCpu = (pids: ServerPids) => void (serverPids = pids);

function machineBusyMs(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    busy += all - times.idle;
    total += all;
  }
  return { busy, total };
}

/** Starts measuring now; `end()` gives the shares since. */
export async function startCpuWindow(sut: SystemUnderTest) {
  const t0 = performance.now();
  const sut0 = (await sut.sample()).cpuMicros;
  const own0 = process.cpuUsage();
  const machine0 = machineBusyMs();
  const servers0 = Object.entries(serverPids).map(([name, pid]) => [name, pid, pid === undefined ? undefined : processCpuMs(pid)] as const);
  return {
    async end(): Promise<CpuShare> {
      const sut1 = (await sut.sample()).cpuMicros;
      const own = process.cpuUsage(own0);
      const machine1 = machineBusyMs();
      const wallMs = performance.now() - t0;
      const cores = cpus().length;
      const machineShare = (machine1.busy - machine0.busy) / Math.max(1, machine1.total - machine0.total);
      const servers = Object.fromEntries(servers0.flatMap(([name, pid, before]) => {
        const after = pid === undefined ? undefined : processCpuMs(pid);
        return before === undefined || after === undefined ? [] : [[`${name}Percent`, round1(((after - before) / wallMs) * 100)]];
      }));
      return {
        seconds: round1(wallMs / 1000),
        ...servers,
        systemUnderTestPercent: round1(((sut1 - sut0) / 1000 / wallMs) * 100),
        loadGeneratorPercent: round1(((own.user + own.system) / 1000 / wallMs) * 100),
        machinePercent: round1(machineShare * cores * 100),
      };
    },
  };
}
