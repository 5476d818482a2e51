/**
 * How big a run is. `BENCH_SCALE` (default 1: the full run, ~10–12 min on 2 cores) multiplies
 * every count and duration, e.g. 0.1 for a quick look; `BENCH_DURATION_S` sets the sustained
 * ingest window (default 60 s × scale); `BENCH_OPEN_CONVERSATIONS` the open-conversation count
 * (default 10,000 × scale); `BENCH_ONLY` a comma-separated list of scenarios (the floor always runs).
 */
export interface BenchOptions {
  scale: number;
  sustainedSeconds: number;
  openConversations: number;
  only?: string[];
}

function positive(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not "${raw}"`);
  return value;
}

export function benchOptions(env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const scale = positive(env, 'BENCH_SCALE') ?? 1;
  const only = env.BENCH_ONLY?.split(',').map((name) => name.trim()).filter(Boolean);
  return {
    scale,
    sustainedSeconds: positive(env, 'BENCH_DURATION_S') ?? Math.max(5, Math.round(60 * scale)),
    openConversations: Math.round(positive(env, 'BENCH_OPEN_CONVERSATIONS') ?? Math.max(100, 10_000 * scale)),
    ...(only?.length ? { only } : {}),
  };
}

/** `base` scaled, at least `min`. */
export const scaled = (options: BenchOptions, base: number, min = 1) => Math.max(min, Math.round(base * options.scale));
