import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { freePort, isPortFree } from '../local-servers/free-port.js';

type Service = 'frontend' | 'history' | 'matching' | 'worker';

/** The Temporal server's ports other than the frontend's gRPC one. */
export interface TemporalInternalPorts {
  grpc: Record<Exclude<Service, 'frontend'>, number>;
  membership: Record<Service, number>;
  http: number;
  metrics: number;
}

/**
 * Temporal records each service's membership port in a SMALLINT column (PostgreSQL), so it must be
 * below 32768, where the kernel's free ports (32768 and up) never are: a free one from 20000–32767.
 */
async function freeMembershipPort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_768);
    if (await isPortFree(port)) return port;
  }
  throw new Error("no free port between 20000 and 32767 for Temporal's membership");
}

/**
 * Free ports, the same as last time (kept in `file`) where still free. On a restart the server first
 * tries to join the members PostgreSQL remembers; at their old addresses it finds its own services at
 * once, at other ones it waits out the join timeout (30 s) first.
 */
export async function temporalInternalPorts(file: string): Promise<TemporalInternalPorts> {
  const saved = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<TemporalInternalPorts>) : {};
  const reuse = async (port: number | undefined, pick: () => Promise<number>) => (port !== undefined && (await isPortFree(port)) ? port : pick());
  const ports: TemporalInternalPorts = {
    grpc: {
      history: await reuse(saved.grpc?.history, freePort),
      matching: await reuse(saved.grpc?.matching, freePort),
      worker: await reuse(saved.grpc?.worker, freePort),
    },
    membership: {
      frontend: await reuse(saved.membership?.frontend, freeMembershipPort),
      history: await reuse(saved.membership?.history, freeMembershipPort),
      matching: await reuse(saved.membership?.matching, freeMembershipPort),
      worker: await reuse(saved.membership?.worker, freeMembershipPort),
    },
    http: await reuse(saved.http, freePort),
    metrics: await reuse(saved.metrics, freePort),
  };
  writeFileSync(file, `${JSON.stringify(ports, null, 2)}\n`);
  return ports;
}
