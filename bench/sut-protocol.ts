/** The IPC between the load generator (bench/run.ts) and the system under test (bench/system-under-test.ts). */
import type { DbProfile } from './db-profile.js';

export type SutRequest = { id: number; kind: 'sample' | 'collectGarbage' | 'systemCheck' | 'dbProfile' | 'stop' };

/** The process's own view of its cost: process.cpuUsage() and process.memoryUsage(). */
export interface SutSample {
  /** User + system CPU of the whole process (all threads: V8, the worker's workflow threads, Temporal's Rust core), µs. */
  cpuMicros: number;
  rssBytes: number;
  /** The main isolate only: workflow sandboxes run in worker threads with heaps of their own (in RSS). */
  heapUsedBytes: number;
  externalBytes: number;
  /** Workflow runs in the worker's sticky cache. */
  cachedWorkflows: number;
}

export type SutReply =
  | { id: 0; kind: 'ready'; apiUrl: string; pid: number }
  | { id: number; kind: 'sample'; sample: SutSample }
  /** The database commands since the previous dbProfile request, by shape. */
  | { id: number; kind: 'dbProfile'; profile: DbProfile }
  | { id: number; kind: 'done' }
  | { id: number; kind: 'failed'; message: string };
