import { randomUUID } from 'node:crypto';
import { Queue, type Job } from 'bullmq';
import IORedis from 'ioredis';
import {
  JOB_DEFINITIONS,
  LEDGER_QUEUE,
  isJobName,
  type JobData,
  type JobName,
  type JobPayload,
  type JobProgress,
  type JobRequester,
} from './job-registry';
import { assertPseudonymous } from './pseudonymous-payload';

/** Redis cannot be reached: the job was not enqueued (or cannot be read); the ledger itself is fine. */
export class JobQueueUnavailableError extends Error {
  override readonly name = 'JobQueueUnavailableError';
  constructor(reason: string) {
    super(`the job queue (Redis) is unavailable: ${reason}; direct writes and figures still work; retry later`);
  }
}

export type JobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed' | 'unknown';

/** A job as the API shows it. */
export interface JobView {
  readonly id: string;
  readonly name: JobName;
  readonly state: JobState;
  readonly progress: JobProgress | null;
  readonly result: unknown;
  readonly failedReason: string | null;
  readonly attemptsMade: number;
  readonly requestedBy: JobRequester;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

const OPERATION_TIMEOUT_MS = 5000;

/**
 * Enqueues and reads jobs for the API. Fails fast when Redis is down (no offline queue, one try):
 * a request must get its 503 at once, not wait for Redis to come back.
 */
export class JobProducer {
  private readonly connection: IORedis;
  private readonly queue: Queue;

  constructor(redisUrl: string, onError: (e: Error) => void = () => undefined) {
    this.connection = new IORedis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.connection.on('error', onError);
    this.queue = new Queue(LEDGER_QUEUE, { connection: this.connection });
    this.queue.on('error', onError);
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayload<N>, requestedBy: JobRequester): Promise<string> {
    const data: JobData<N> = { payload, requestedBy };
    assertPseudonymous(data);
    const id = randomUUID();
    await this.guarded(() => this.queue.add(name, data, { ...JOB_DEFINITIONS[name].options, jobId: id }));
    return id;
  }

  /** The job, or null when there is none by that id (or it was trimmed). */
  async find(id: string): Promise<JobView | null> {
    // The state first: a job read after a finished state is final too, whereas a job read before
    // could be one attempt behind a state read after it (a failed job with no attempt made).
    const state = await this.guarded(() => this.queue.getJobState(id));
    const job = await this.guarded(() => this.queue.getJob(id));
    if (!job || !isJobName(job.name)) return null;
    return view(job, state);
  }

  /** The queue for the administrators' board. */
  /** How many jobs wait, run, failed or are delayed (the metrics); throws when Redis does not answer. */
  async counts(): Promise<Record<'waiting' | 'active' | 'failed' | 'delayed', number>> {
    const c = await this.queue.getJobCounts('waiting', 'active', 'failed', 'delayed');
    return { waiting: c.waiting ?? 0, active: c.active ?? 0, failed: c.failed ?? 0, delayed: c.delayed ?? 0 };
  }

  get bullQueue(): Queue {
    return this.queue;
  }

  async close(): Promise<void> {
    await this.queue.close().catch(() => undefined);
    this.connection.disconnect();
  }

  private lostConnection(e: unknown): boolean {
    return this.connection.status !== 'ready' || (e instanceof Error && CONNECTION_LOST.test(`${e.name} ${e.message}`));
  }

  private async guarded<T>(operation: () => Promise<T>): Promise<T> {
    if (this.connection.status !== 'ready') throw new JobQueueUnavailableError(`connection ${this.connection.status}`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new JobQueueUnavailableError('no answer in time')), OPERATION_TIMEOUT_MS);
    });
    try {
      return await Promise.race([operation(), timeout]);
    } catch (e) {
      if (e instanceof JobQueueUnavailableError || this.lostConnection(e)) throw unavailable(e);
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** ioredis's ways of saying the server is gone (a reply error or a bug is not that). */
const CONNECTION_LOST =
  /Stream isn't writeable|Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|MaxRetriesPerRequest/i;

function unavailable(e: unknown): JobQueueUnavailableError {
  if (e instanceof JobQueueUnavailableError) return e;
  return new JobQueueUnavailableError(e instanceof Error ? e.message : String(e));
}

function view(job: Job, state: string): JobView {
  const data = job.data as JobData;
  const progress = job.progress;
  return {
    id: job.id ?? '',
    name: job.name as JobName,
    state: (['waiting', 'delayed', 'active', 'completed', 'failed'] as const).find((s) => s === state) ?? 'unknown',
    progress:
      typeof progress === 'object' && progress !== null && 'done' in progress && 'total' in progress
        ? { done: Number(progress.done), total: Number(progress.total) }
        : null,
    result: job.returnvalue ?? null,
    failedReason: job.failedReason ?? null,
    attemptsMade: job.attemptsMade,
    requestedBy: data.requestedBy,
    createdAt: new Date(job.timestamp).toISOString(),
    finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}
