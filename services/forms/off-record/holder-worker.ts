import type { TemporalTls } from '../../../config/temporal-tls.js';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { OffRecordHolderActivities } from './holder-activities.js';

export interface HolderWorkerOptions {
  address: string;
  tls?: TemporalTls;
  namespace: string;
  /** Polled by this process only. */
  taskQueue: string;
  dataConverter: DataConverter;
  activities: OffRecordHolderActivities;
  logger: Logger;
}

/**
 * An activities-only Temporal worker on this process's own task queue, started the first time the
 * process holds answers (most processes never do), so another replica's reveal reaches this memory.
 */
export class OffRecordHolderWorker {
  private running?: Promise<{ worker: Worker; connection: NativeConnection; done: Promise<void> } | undefined>;
  private stopped = false;

  constructor(private readonly options: HolderWorkerOptions) {}

  /** Resolves once the worker polls; a failure is logged (reveals through this replica still work) and retried at the next call. */
  async ensureRunning(): Promise<void> {
    if (this.stopped) return;
    this.running ??= this.start().catch((error: unknown) => {
      this.options.logger.warn({ err: error, taskQueue: this.options.taskQueue }, 'off-record holder worker did not start; other replicas cannot reveal answers held here');
      this.running = undefined;
      return undefined;
    });
    await this.running;
  }

  private async start() {
    const { address, tls, namespace, taskQueue, dataConverter, activities } = this.options;
    const connection = await NativeConnection.connect({ address, ...(tls ? { tls } : {}) });
    try {
      const worker = await Worker.create({ connection, namespace, taskQueue, activities, dataConverter, maxConcurrentActivityTaskExecutions: 16 });
      const done = worker.run();
      done.catch((error: unknown) => {
        this.options.logger.error({ err: error, taskQueue }, 'off-record holder worker stopped');
        this.running = undefined;
      });
      return { worker, connection, done };
    } catch (error) {
      await connection.close();
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const running = await this.running;
    if (!running) return;
    if (running.worker.getState() === 'RUNNING') running.worker.shutdown();
    await running.done.catch(() => {});
    await running.connection.close();
  }
}
