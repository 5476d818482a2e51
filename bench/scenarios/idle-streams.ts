import { addAgent, type BenchAgent } from '../agents.js';
import { startCpuWindow } from '../cpu-window.js';
import { openEventStream, type EventStream } from '../event-stream.js';
import { scaled, type BenchOptions } from '../options.js';
import { inParallel, round1, sleep } from '../stats.js';
import type { SystemUnderTest } from '../sut-process.js';
import type { BenchWorld } from '../world.js';

export interface IdleStreams {
  clients: number;
  agents: number;
  seconds: number;
  /** CPU of the system under test with the streams open, minus the same window without them, in % of one core. */
  cpuPercentOfOneCore: number;
  withoutStreamsCpuPercent: number;
  withStreamsCpuPercent: number;
  /** After a full GC each time: RSS and main-isolate heap with the streams open minus without. */
  rssDeltaBytes: number;
  heapDeltaBytes: number;
  rssPerClientKB: number;
}

const STREAMS_PER_AGENT = 5; // the most one user may hold (api/routes/events.ts)

/** 200 agents' streams open and nothing happening: what connected-but-idle clients cost the server. */
export async function idleStreams(world: BenchWorld, sut: SystemUnderTest, options: BenchOptions): Promise<IdleStreams> {
  const clients = 200;
  const windowMs = scaled(options, 20, 5) * 1000;
  const agents: BenchAgent[] = [];
  await inParallel(clients / STREAMS_PER_AGENT, 4, async () => void agents.push(await addAgent(world)));
  await sleep(2_000);

  const memoryWithout = await sut.collectGarbage();
  const without = await startCpuWindow(sut);
  await sleep(windowMs);
  const cpuWithout = await without.end();

  const streams: EventStream[] = agents.flatMap((agent) =>
    Array.from({ length: STREAMS_PER_AGENT }, () => openEventStream({ api: world.api, token: agent.token })));
  try {
    await Promise.all(streams.map((stream) => stream.opened));
    await sleep(2_000);
    const memoryWith = await sut.collectGarbage();
    const withStreams = await startCpuWindow(sut);
    await sleep(windowMs);
    const cpuWith = await withStreams.end();
    const rssDeltaBytes = memoryWith.rssBytes - memoryWithout.rssBytes;
    return {
      clients,
      agents: agents.length,
      seconds: cpuWith.seconds,
      cpuPercentOfOneCore: round1(cpuWith.systemUnderTestPercent - cpuWithout.systemUnderTestPercent),
      withoutStreamsCpuPercent: cpuWithout.systemUnderTestPercent,
      withStreamsCpuPercent: cpuWith.systemUnderTestPercent,
      rssDeltaBytes,
      heapDeltaBytes: memoryWith.heapUsedBytes - memoryWithout.heapUsedBytes,
      rssPerClientKB: round1(rssDeltaBytes / clients / 1024),
    };
  } finally {
    for (const stream of streams) stream.close();
  }
}
