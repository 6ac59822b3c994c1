import { Queue } from 'bullmq';
import request from 'supertest';
import { LEDGER_QUEUE } from '@ihl/jobs';
import { seedProject, startLedgerTestApp, type LedgerTestApp } from './support/ledger-test-app';
import { sample } from './support/metrics-sample';
import { startRedisServer, type RedisServer } from './support/redis-server';
import { WorkerChild, until } from './support/worker-child';

// apps/worker as a child process with LEDGER_WORKER_METRICS_PORT=0 (a free port, which it logs),
// on a real redis-server: a real job it completes and one it refuses move its own series.

const done = (job: string, outcome: string) =>
  `ihl_worker_jobs_total{queue="${LEDGER_QUEUE}",job="${job}",outcome="${outcome}"}`;
const took = (job: string, outcome: string) =>
  `ihl_worker_job_duration_seconds_count{queue="${LEDGER_QUEUE}",job="${job}",outcome="${outcome}"}`;

describe("the worker's own /metrics", () => {
  let redis: RedisServer;
  let t: LedgerTestApp;
  let worker: WorkerChild;
  let metricsUrl: string;
  const scrape = async () => {
    const res = await fetch(metricsUrl);
    expect(res.status).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    t = await startLedgerTestApp(undefined, { REDIS_URL: redis.url });
    await seedProject(t);
    worker = new WorkerChild(t.dir, redis.url, { LEDGER_WORKER_METRICS_PORT: '0' });
    await worker.start();
    metricsUrl = /worker metrics on (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(worker.output)?.[1] ?? '';
  }, 120_000);
  afterAll(async () => {
    await worker?.kill('SIGTERM');
    await t?.close();
    await redis?.stop();
  });

  it('binds 127.0.0.1 and answers nothing but GET /metrics', async () => {
    expect(metricsUrl).not.toBe('');
    expect((await fetch(metricsUrl.replace('/metrics', '/'))).status).toBe(404);
    expect(await scrape()).toMatch(/^ihl_worker_process_cpu_seconds_total /m);
  });

  it('counts a job it completed and one it refused, with their durations', async () => {
    await request(t.base).post('/api/v1/admin/jobs/checks').set(t.as('admin')).send({}).expect(202);
    const queue = new Queue(LEDGER_QUEUE, { connection: { url: redis.url } });
    try {
      await queue.add('no-such-job', { payload: {} });
    } finally {
      await queue.close();
    }
    let text = '';
    await until(
      async () => {
        text = await scrape();
        return sample(text, done('run-checks', 'completed')) === 1 && sample(text, done('unknown', 'failed')) === 1;
      },
      () => `worker metrics: ${text}\n${worker.output}`,
      120_000,
    );
    expect(sample(text, took('run-checks', 'completed'))).toBe(1);
    expect(sample(text, took('unknown', 'failed'))).toBe(1);
    expect(text).not.toMatch(/ihl_projection_lag_positions/);
  }, 150_000);
});

describe("the worker's own /metrics when it feeds the read models (LEDGER_PROJECTIONS=worker)", () => {
  let redis: RedisServer;
  let t: LedgerTestApp;
  let worker: WorkerChild;

  beforeAll(async () => {
    redis = await startRedisServer();
    t = await startLedgerTestApp(undefined, { LEDGER_PROJECTIONS: 'worker', REDIS_URL: redis.url });
    await seedProject(t);
    worker = new WorkerChild(t.dir, redis.url, { LEDGER_PROJECTIONS: 'worker', LEDGER_WORKER_METRICS_PORT: '0' });
    await worker.start();
  }, 120_000);
  afterAll(async () => {
    await worker?.kill('SIGTERM');
    await t?.close();
    await redis?.stop();
  });

  it("gives the lag of the read models it feeds, 0 once they have the log's head", async () => {
    const metricsUrl = /worker metrics on (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(worker.output)?.[1] ?? '';
    expect(metricsUrl).not.toBe('');
    const lag = 'ihl_projection_lag_positions{projection="read-models"}';
    let text = '';
    await until(
      async () => {
        text = await (await fetch(metricsUrl)).text();
        return sample(text, lag) === 0;
      },
      () => `worker metrics: ${text}\n${worker.output}`,
      120_000,
    );
    expect(await t.store.headPosition()).toBeGreaterThan(0);
  }, 150_000);
});
