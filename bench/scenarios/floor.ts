import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { measure, type Figures } from '../measure.js';
import { scaled, type BenchOptions } from '../options.js';

export interface Floor {
  /** 1 in flight: the latency floor. */
  bare1: Figures;
  bare8: Figures;
  /** 64 in flight: the throughput floor. */
  bare64: Figures;
}

/**
 * The floor every figure is compared with: `signalWithStart` through a plain SDK client (no data
 * converter) to a task queue nobody polls, so it is the Temporal server's own accept path, on the
 * same server as everything else in the run.
 */
export async function measureFloor(temporalAddress: string, options: BenchOptions): Promise<Floor> {
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection });
  const operation = async () => {
    await client.workflow.signalWithStart('benchBaselineWorkflow', {
      taskQueue: 'bench-no-worker',
      workflowId: `bench-${randomUUID()}`,
      signal: 'inbound',
      signalArgs: [{ text: 'hello from the benchmark' }],
      args: [{}],
    });
  };
  try {
    await measure({ count: 20, concurrency: 4, maxSeconds: 10, operation }); // warm-up
    return {
      bare1: await measure({ count: scaled(options, 300, 20), concurrency: 1, maxSeconds: 30, operation }),
      bare8: await measure({ count: scaled(options, 800, 80), concurrency: 8, maxSeconds: 30, operation }),
      bare64: await measure({ count: scaled(options, 1500, 256), concurrency: 64, maxSeconds: 30, operation }),
    };
  } finally {
    await connection.close();
  }
}
