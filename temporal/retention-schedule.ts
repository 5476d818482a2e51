import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import { retentionScheduleId } from '../workflows/retention/workflow.js';

/**
 * The retention Schedule (visible under Schedules in Temporal UI): created at
 * worker start if missing, its cron brought in line if RETENTION_SCHEDULE_CRON
 * changed. Several workers starting at once is fine.
 */
export async function ensureRetentionSchedule(client: Client, options: { taskQueue: string; cron: string }): Promise<void> {
  const spec = { cronExpressions: [options.cron] };
  try {
    await client.schedule.create({
      scheduleId: retentionScheduleId(options.taskQueue),
      spec,
      action: { type: 'startWorkflow', workflowType: 'retentionWorkflow', taskQueue: options.taskQueue, args: [{}] },
      policies: { overlap: 'SKIP', catchupWindow: '1 day' },
      // Temporal describes crons back as calendars: the memo keeps the expression to compare with.
      memo: { cron: options.cron },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    const handle = client.schedule.getHandle(retentionScheduleId(options.taskQueue));
    const current = await handle.describe();
    if (current.memo?.cron !== options.cron) {
      await handle.update((previous) => ({ ...previous, spec }));
    }
  }
}
