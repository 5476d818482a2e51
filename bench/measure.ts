import { round1, summarize, type Latency } from './stats.js';

/** Latency and throughput of a closed loop with bounded count and time. */
export interface Figures extends Latency {
  concurrency: number;
  seconds: number;
  perSecond: number;
}

/** Runs `operation(i)` up to `count` times with `concurrency` in flight, stopping early after `maxSeconds`. */
export async function measure(options: {
  count: number;
  concurrency: number;
  maxSeconds: number;
  operation: (index: number) => Promise<void>;
}): Promise<Figures> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + options.maxSeconds * 1000;
  let next = 0;
  const lane = async () => {
    while (next < options.count && performance.now() < deadline) {
      const index = next++;
      const t0 = performance.now();
      await options.operation(index);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  const seconds = (performance.now() - started) / 1000;
  return { ...summarize(latencies), concurrency: options.concurrency, seconds: round1(seconds), perSecond: round1(latencies.length / seconds) };
}
