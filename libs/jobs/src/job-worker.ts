import { UnrecoverableError, Worker, type Job } from 'bullmq';
import IORedis from 'ioredis';
import type { JobWorkerSettings } from '@ihl/config';
import { JOB_DEFINITIONS, LEDGER_QUEUE, isJobName, type JobData, type JobHandlers, type JobName } from './job-registry';
import { PersonalCodeInJobError, assertPseudonymous } from './pseudonymous-payload';

export interface JobWorker {
  readonly worker: Worker;
  /** Graceful: lets the current job finish, takes no new one; a killed worker's job is handed back by the stalled check. */
  close(): Promise<void>;
}

/**
 * Runs the registered handlers. A job whose worker died (its lock not renewed for lockDuration) is
 * found by another worker's stalled check and run again, up to twice; a payload the registry refuses
 * fails at once (UnrecoverableError: retrying cannot mend bad input).
 */
export async function startJobWorker(options: {
  readonly redisUrl: string;
  readonly handlers: JobHandlers;
  readonly settings: JobWorkerSettings;
  readonly log?: (line: string) => void;
}): Promise<JobWorker> {
  const log = options.log ?? (() => undefined);
  const connection = new IORedis(options.redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', (e) => log(`redis: ${e.message}`));
  const worker = new Worker(LEDGER_QUEUE, (job: Job) => runJob(job, options.handlers), {
    connection,
    concurrency: options.settings.concurrency,
    lockDuration: options.settings.lockDurationMs,
    stalledInterval: options.settings.stalledIntervalMs,
    maxStalledCount: 2,
  });
  worker.on('error', (e) => log(`worker: ${e.message}`));
  worker.on('failed', (job, e) => log(`job ${job?.id} (${job?.name}) failed: ${e.message}`));
  worker.on('completed', (job) => log(`job ${job.id} (${job.name}) completed`));
  await worker.waitUntilReady();
  return {
    worker,
    close: async () => {
      await worker.close();
      connection.disconnect();
    },
  };
}

async function runJob(job: Job, handlers: JobHandlers): Promise<unknown> {
  if (!isJobName(job.name)) throw new UnrecoverableError(`no handler for job "${job.name}"`);
  const data = job.data as Partial<JobData> | null;
  const problem = data && typeof data === 'object' ? JOB_DEFINITIONS[job.name].check(data.payload) : 'no job data';
  if (problem) throw new UnrecoverableError(`job "${job.name}": ${problem}`);
  try {
    assertPseudonymous(data);
  } catch (e) {
    if (e instanceof PersonalCodeInJobError) throw new UnrecoverableError(e.message);
    throw e;
  }
  return dispatch(job.name, job, handlers);
}

function dispatch<N extends JobName>(name: N, job: Job, handlers: JobHandlers): Promise<unknown> {
  const handler = handlers[name];
  return handler((job.data as JobData<N>).payload, {
    id: job.id ?? '',
    attempt: job.attemptsMade + 1,
    progress: (p) => job.updateProgress({ done: p.done, total: p.total }),
  });
}
