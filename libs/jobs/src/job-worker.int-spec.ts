import { QueueEvents } from 'bullmq';
import { startRedisServer, type RedisServer } from '../../../test/support/redis-server';
import { JobProducer, JobQueueUnavailableError } from './job-producer';
import { LEDGER_QUEUE, type JobHandler } from './job-registry';
import { startJobWorker, type JobWorker } from './job-worker';
import { PersonalCodeInJobError } from './pseudonymous-payload';

const admin = { subject: 'admin-1', role: 'admin' };
const settings = { concurrency: 1, lockDurationMs: 5000, stalledIntervalMs: 5000 };

describe('the job worker and producer on a real redis-server', () => {
  let redis: RedisServer;
  let producer: JobProducer;
  let events: QueueEvents;
  let worker: JobWorker | null = null;
  const run = async (handler: JobHandler<'rebuild-read-models'>) => {
    worker = await startJobWorker({
      redisUrl: redis.url,
      settings,
      handlers: {
        'rebuild-read-models': handler,
        // Not run here: the registry requires a handler for every job.
        'report-workbook': () => Promise.reject(new Error('not in this test')),
        'report-pdf': () => Promise.reject(new Error('not in this test')),
        'run-checks': () => Promise.reject(new Error('not in this test')),
        'import-file': () => Promise.reject(new Error('not in this test')),
      },
    });
  };
  const finished = async (id: string) => {
    for (;;) {
      const job = await producer.find(id);
      if (job && (job.state === 'completed' || job.state === 'failed')) return job;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    producer = new JobProducer(redis.url);
    events = new QueueEvents(LEDGER_QUEUE, { connection: { url: redis.url } });
    await events.waitUntilReady();
    for (
      let i = 0;
      i < 100 &&
      !(await producer.find('none').then(
        () => true,
        () => false,
      ));
      i++
    )
      await new Promise((r) => setTimeout(r, 50));
  }, 30_000);
  afterEach(async () => {
    await worker?.close();
    worker = null;
  });
  afterAll(async () => {
    await events.close();
    await producer.close();
    await redis.stop();
  });

  it('runs the registered handler with its payload, reports progress and keeps the result', async () => {
    const seen: unknown[] = [];
    await run(async (payload, context) => {
      seen.push(payload);
      await context.progress({ done: 1, total: 2 });
      await context.progress({ done: 2, total: 2 });
      return { position: 2, contentHash: 'abc' };
    });
    const id = await producer.enqueue('rebuild-read-models', { pageSize: 10 }, admin);
    const job = await finished(id);
    expect(seen).toEqual([{ pageSize: 10 }]);
    expect(job).toMatchObject({
      id,
      name: 'rebuild-read-models',
      state: 'completed',
      progress: { done: 2, total: 2 },
      result: { position: 2, contentHash: 'abc' },
      attemptsMade: 1,
      requestedBy: admin,
    });
  }, 60_000);

  it('retries a failing job with backoff until it succeeds', async () => {
    let calls = 0;
    await run(async () => {
      calls += 1;
      if (calls < 2) throw new Error('disk busy');
      return { position: 1, contentHash: 'x' };
    });
    const job = await finished(await producer.enqueue('rebuild-read-models', {}, admin));
    expect(job.state).toBe('completed');
    expect(calls).toBe(2);
  }, 60_000);

  it('fails a job with bad input at once (UnrecoverableError), without retrying', async () => {
    let calls = 0;
    await run(async () => {
      calls += 1;
      return { position: 1, contentHash: 'x' };
    });
    const job = await finished(await producer.enqueue('rebuild-read-models', { pageSize: -5 }, admin));
    expect(job).toMatchObject({ state: 'failed', attemptsMade: 1 });
    expect(job.failedReason).toMatch(/pageSize must be a whole number/);
    expect(calls).toBe(0);
  }, 60_000);

  it('refuses to enqueue anything that holds a personal code', async () => {
    await expect(
      producer.enqueue('rebuild-read-models', {}, { subject: 'user 38703181745', role: 'admin' }),
    ).rejects.toBeInstanceOf(PersonalCodeInJobError);
  });

  it('without Redis the producer answers at once that the job queue is unavailable', async () => {
    const { startRedisServer: start } = await import('../../../test/support/redis-server');
    const gone = await start();
    await gone.stop(); // a port where nothing answers
    const offline = new JobProducer(gone.url);
    try {
      await expect(offline.enqueue('rebuild-read-models', {}, admin)).rejects.toBeInstanceOf(JobQueueUnavailableError);
      await expect(offline.find('x')).rejects.toThrow(/the job queue \(Redis\) is unavailable/);
    } finally {
      await offline.close();
    }
  });

  it('shuts down gracefully: the running job finishes before close() resolves', async () => {
    let release!: () => void;
    let resolveStarted!: () => void;
    const started = new Promise<void>((r) => (resolveStarted = r));
    await run(async () => {
      resolveStarted();
      await new Promise<void>((r) => (release = r));
      return { position: 3, contentHash: 'y' };
    });
    const id = await producer.enqueue('rebuild-read-models', {}, admin);
    await started;
    const closing = worker!.close();
    worker = null;
    release();
    await closing;
    expect(await producer.find(id)).toMatchObject({ state: 'completed', result: { position: 3, contentHash: 'y' } });
  }, 60_000);
});
