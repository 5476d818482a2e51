// The system under test of `npm run bench`: API and worker in one process, as `npm start` runs them,
// but as a child of the load generator, so that its CPU and memory are measured apart from the load.
// Configured by environment variables (bench/sut-process.ts sets them); answers the bench over IPC.
import { loadConfig } from '../config/index.js';
import { createLogger } from '../observability/logger.js';
import { requireSettings } from '../runtime/settings.js';
import { runSystemCheck, startSystem } from '../runtime/system.js';
import { routeSdkLogsTo } from '../workers/sdk-logging.js';
import { profileDatabase } from './db-profile.js';
import type { SutReply, SutRequest, SutSample } from './sut-protocol.js';

const settings = requireSettings(loadConfig());
const logger = createLogger({ level: settings.logLevel });
routeSdkLogsTo(logger);
const system = await startSystem({ settings, logger, run: { api: true, worker: true } });
const database = profileDatabase([system.services.database.client, system.services.vaultDatabase.client]);
const send = (reply: SutReply) => process.send?.(reply);

function sample(): SutSample {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return {
    cpuMicros: cpu.user + cpu.system,
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    externalBytes: memory.external,
    cachedWorkflows: system.worker?.worker.getStatus().numCachedWorkflows ?? 0,
  };
}

let stopping: Promise<void> | undefined;
const stop = () =>
  (stopping ??= system.stop().finally(() => process.exit(0)));

// Started with --expose-gc: a full collection before memory figures (the main isolate only).
const gc = (globalThis as { gc?: () => void }).gc;

process.on('message', (request: SutRequest) => {
  const handle = async (): Promise<SutReply> => {
    switch (request.kind) {
      case 'sample':
        return { id: request.id, kind: 'sample', sample: sample() };
      case 'collectGarbage':
        gc?.();
        gc?.();
        return { id: request.id, kind: 'sample', sample: sample() };
      case 'dbProfile':
        return { id: request.id, kind: 'dbProfile', profile: database.take() };
      case 'systemCheck':
        await runSystemCheck(system.services, 'bench');
        return { id: request.id, kind: 'done' };
      case 'stop':
        send({ id: request.id, kind: 'done' });
        await stop();
        return { id: request.id, kind: 'done' };
    }
  };
  handle().then(send, (error: unknown) => send({ id: request.id, kind: 'failed', message: error instanceof Error ? error.message : String(error) }));
});
// The load generator went away (even SIGKILLed): never outlive it.
process.on('disconnect', () => void stop());
process.on('SIGTERM', () => void stop());
send({ id: 0, kind: 'ready', apiUrl: system.api!.url, pid: process.pid });
