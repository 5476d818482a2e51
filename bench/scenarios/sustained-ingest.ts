import { runIngest, type Ingest } from '../ingest.js';
import type { MessageWatch } from '../message-watch.js';
import { scaled, type BenchOptions } from '../options.js';
import type { SystemUnderTest } from '../sut-process.js';
import type { BenchWorld } from '../world.js';

/**
 * Sustained ingest for BENCH_DURATION_S (60 s) at `inFlight` webhooks in flight; 256 consumers take
 * turns, so 256 conversations open and then keep receiving. Up to 30 s × scale of drain after.
 */
export function sustainedIngest(world: BenchWorld, watch: MessageWatch, sut: SystemUnderTest, options: BenchOptions, inFlight: 8 | 64): Promise<Ingest> {
  return runIngest(world, watch, sut, {
    inFlight,
    seconds: options.sustainedSeconds,
    series: inFlight === 8 ? 208 : 264,
    pool: 256,
    drainSeconds: scaled(options, 30, 10),
  });
}
