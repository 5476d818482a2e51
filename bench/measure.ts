/** Latency and throughput measurement with bounded count and time. */
export interface Figures {
  count: number;
  concurrency: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
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
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    count: latencies.length,
    concurrency: options.concurrency,
    seconds: round(seconds),
    perSecond: round(latencies.length / seconds),
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? Number.NaN),
  };
}
