import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { JOB_DEFINITIONS, LEDGER_QUEUE, type JobData } from './job-registry';

/** The one scheduler of the checks: upserting it again (every worker start) replaces it, never adds one. */
export const CHECKS_SCHEDULER_ID = 'run-checks';

/** Who asked for a scheduled run. */
export const SCHEDULER_REQUESTER = { subject: 'scheduler', role: 'admin' } as const;

/**
 * Registers (or replaces) the BullMQ job scheduler that enqueues `run-checks` for every project on
 * the cron, in its time zone; `cron: null` removes it. Redis holds only the schedule and an empty
 * payload: what the checks find is in the event store.
 */
export async function scheduleChecks(
  redisUrl: string,
  schedule: { readonly cron: string | null; readonly timeZone: string },
): Promise<void> {
  const connection = new IORedis(redisUrl, { maxRetriesPerRequest: 1 });
  const queue = new Queue(LEDGER_QUEUE, { connection });
  try {
    if (schedule.cron === null) {
      await queue.removeJobScheduler(CHECKS_SCHEDULER_ID);
      return;
    }
    const data: JobData<'run-checks'> = { payload: {}, requestedBy: SCHEDULER_REQUESTER };
    await queue.upsertJobScheduler(
      CHECKS_SCHEDULER_ID,
      { pattern: schedule.cron, tz: schedule.timeZone },
      { name: 'run-checks', data, opts: JOB_DEFINITIONS['run-checks'].options },
    );
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
