import { inject } from 'vitest';
import type { Logger } from 'pino';
import { startSystem, type RunningSystem } from '../../runtime/system.js';
import type { Settings } from '../../runtime/settings.js';
import { captureLogs } from './log-capture.js';
import { testSettings } from './settings.js';

export interface TestSystem extends RunningSystem {
  settings: Settings;
  logs: ReturnType<typeof captureLogs>;
  /** Base URL of the API (port picked by the kernel). */
  url: string;
}

/** The real API and/or worker of Switchboard, in this process, on the shared test servers. */
export async function startTestSystem(
  options: { api?: boolean; worker?: boolean; env?: Record<string, string>; logger?: Logger } = {},
): Promise<TestSystem> {
  const settings = testSettings(options.env);
  const logs = captureLogs();
  const system = await startSystem({
    settings,
    logger: options.logger ?? logs.logger,
    run: { api: options.api ?? true, worker: options.worker ?? false },
    workflowBundlePath: inject('workflowBundlePath'),
    apiPort: options.env?.PORT ? Number(options.env.PORT) : 0,
  });
  return { ...system, settings, logs, url: system.api?.url ?? '' };
}
