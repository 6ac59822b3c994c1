import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { JobProducer, startPrivateRedis, stopPrivateRedis, type JobView, type PrivateRedis } from '@ihl/jobs';
import {
  TEST_KEYS,
  lithuanianCode,
  seedProject,
  startLedgerTestApp,
  type LedgerTestApp,
  url,
} from './support/ledger-test-app';
import { dumpRedis } from './support/redis-server';

const ROOT = join(__dirname, '..');
const CODES = [lithuanianCode('4450301123'), lithuanianCode('3470702123')];

/**
 * Rebuild as a job, against a real redis-server (append-only, in a temp dir) and the worker as a
 * child process: progress and result through the API, a worker killed mid-rebuild, Redis down.
 */
describe('rebuilding the read models as a job', () => {
  let t: LedgerTestApp;
  let redisDir: string;
  let redis: PrivateRedis;
  let producer: JobProducer;
  let worker: ChildProcess | null = null;
  let workerOutput = '';

  const startWorker = () => {
    workerOutput = '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...TEST_KEYS,
        DATA_DIR: t.dir,
        REDIS_URL: redis.url,
        LEDGER_JOB_LOCK_MS: '2000',
        LEDGER_JOB_STALLED_CHECK_MS: '1000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker = child;
    child.stdout!.on('data', (c: Buffer) => (workerOutput += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (workerOutput += c.toString()));
    return until(
      async () => workerOutput.includes('listening on queue'),
      () => `worker start: ${workerOutput}`,
    );
  };
  const killWorker = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      const child = worker;
      worker = null;
      if (!child || child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  const job = async (id: string): Promise<JobView> => (await producer.find(id))!;
  const finished = (id: string) =>
    until(
      async () => ['completed', 'failed'].includes((await job(id)).state),
      () => `job ${id}: ${workerOutput}`,
    );
  const batch = (from: number, n: number) =>
    request(t.base)
      .post(url('/activities/batch'))
      .set(t.as('partnerA'))
      .send({
        records: Array.from({ length: n }, (_, i) => ({
          kind: 'promotion-event',
          occurredOn: '2024-05-20',
          audience: 'family-members',
          title: `Evening ${from + i}`,
          attendees: 3,
        })),
      })
      .expect(201);
  const serve = (personalCode: string) =>
    request(t.base)
      .post(url('/activities/service-deliveries'))
      .set(t.as('partnerA'))
      .send({
        occurredOn: '2024-05-01',
        service: 'care',
        targetGroup: 'elderly',
        setting: 'home',
        durationMinutes: 30,
        recipient: { personalCode, profile: { sex: 'female', birthYear: 1940 } },
      })
      .expect(201);

  beforeAll(async () => {
    redisDir = mkdtempSync(join(tmpdir(), 'ihl-jobs-redis-'));
    redis = await startPrivateRedis(redisDir);
    t = await startLedgerTestApp(undefined, { REDIS_URL: redis.url });
    producer = new JobProducer(redis.url);
    await seedProject(t);
    for (const code of CODES) await serve(code);
    await batch(0, 300);
    await batch(300, 300);
    await startWorker();
  }, 120_000);
  afterAll(async () => {
    await killWorker('SIGTERM');
    await producer?.close();
    await t?.close();
    await stopPrivateRedis(redisDir);
    rmSync(redisDir, { recursive: true, force: true });
  });

  it('POST /admin/jobs/rebuild: 202 with the job and its Location; the job shows progress, then the position and content hash', async () => {
    await request(t.base).post('/api/v1/admin/jobs/rebuild').set(t.as('auditor')).expect(403);
    const started = await request(t.base).post('/api/v1/admin/jobs/rebuild').set(t.as('admin')).expect(202);
    expect(started.headers.location).toBe(`/api/v1/jobs/${started.body.id}`);
    await finished(started.body.id);
    const res = await request(t.base).get(started.headers.location).set(t.as('admin')).expect(200);
    const head = await t.store.headPosition();
    expect(res.body).toMatchObject({
      id: started.body.id,
      name: 'rebuild-read-models',
      state: 'completed',
      progress: { done: head, total: head },
      result: { position: head, contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      requestedBy: 'admin-1',
    });
    // Only its requester and administrators see a job.
    await request(t.base).get(started.headers.location).set(t.as('auditor')).expect(404);
    await request(t.base).get('/api/v1/jobs/not-a-uuid').set(t.as('admin')).expect(400);
    const partnersOwn = await producer.enqueue(
      'rebuild-read-models',
      {},
      { subject: 'visaginas-user', role: 'partner-submitter', partnerId: 'visaginas-spc' },
    );
    await request(t.base).get(`/api/v1/jobs/${partnersOwn}`).set(t.as('partnerA')).expect(200);
    await request(t.base).get(`/api/v1/jobs/${partnersOwn}`).set(t.as('partnerB')).expect(404);
    await request(t.base).get(`/api/v1/jobs/${partnersOwn}`).set(t.as('admin')).expect(200);
    await finished(partnersOwn);
    // Redoing it is harmless: the same content.
    const again = await request(t.base).post('/api/v1/admin/jobs/rebuild').set(t.as('admin')).expect(202);
    await finished(again.body.id);
    expect((await job(again.body.id)).result).toEqual(res.body.result);
    // Figures are served from the rebuilt file.
    const progress = await request(t.base).get(url('/progress')).set(t.as('auditor')).expect(200);
    expect(progress.body.personsReached).toBe(2);
  }, 120_000);

  it('a worker killed mid-rebuild: the restarted worker takes the job back and completes it once', async () => {
    const before = (await producer.find((await rebuildNow()).id))!;
    const id = await producer.enqueue('rebuild-read-models', { pageSize: 1 }, { subject: 'admin-1', role: 'admin' });
    await until(
      async () => {
        const p = (await job(id)).progress;
        return p !== null && p.done < p.total;
      },
      () => `no progress: ${workerOutput}`,
    );
    await killWorker('SIGKILL');
    expect((await job(id)).state).toBe('active');
    await startWorker();
    await finished(id);
    const done = await job(id);
    expect(done).toMatchObject({ state: 'completed', result: before.result });
    const completedLine = new RegExp(`job ${id} \\(rebuild-read-models\\) completed`, 'g');
    await until(
      async () => completedLine.test(workerOutput),
      () => workerOutput,
    );
    expect(workerOutput.match(completedLine)).toHaveLength(1);
  }, 180_000);

  it('Redis down: direct writes and figures work, the job endpoints answer 503; the job resumes when Redis returns', async () => {
    const port = Number(new URL(redis.url).port);
    const id = await producer.enqueue('rebuild-read-models', { pageSize: 1 }, { subject: 'admin-1', role: 'admin' });
    await until(
      async () => (await job(id)).progress !== null,
      () => `no progress: ${workerOutput}`,
    );
    expect((await job(id)).state).toBe('active');
    await redis.stop();
    await serve(lithuanianCode('4500303123'));
    const figures = await request(t.base).get(url('/progress')).set(t.as('auditor')).expect(200);
    expect(figures.body.personsReached).toBeGreaterThanOrEqual(2);
    for (const answer of [
      await request(t.base).post('/api/v1/admin/jobs/rebuild').set(t.as('admin')).expect(503),
      await request(t.base).get(`/api/v1/jobs/${id}`).set(t.as('admin')).expect(503),
    ]) {
      expect(answer.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
      expect(answer.body.message).toMatch(/job queue \(Redis\) is unavailable/);
      expect(answer.headers['retry-after']).toBe('30');
    }
    redis = await startPrivateRedis(redisDir, { port });
    await until(
      async () => (await producer.find(id).catch(() => null)) !== null,
      () => 'redis back',
    );
    await finished(id);
    expect((await job(id)).state).toBe('completed');
    await request(t.base).get(`/api/v1/jobs/${id}`).set(t.as('admin')).expect(200);
  }, 180_000);

  it('leaves no personal code anywhere in Redis', async () => {
    const everything = await dumpRedis(redis.url);
    expect(everything).toContain('rebuild-read-models');
    for (const code of [...CODES, lithuanianCode('4500303123')]) expect(everything).not.toContain(code);
  }, 60_000);

  async function rebuildNow(): Promise<{ id: string }> {
    const res = await request(t.base).post('/api/v1/admin/jobs/rebuild').set(t.as('admin')).expect(202);
    await finished(res.body.id);
    return res.body;
  }
});

/** Polls until `check` holds; the budget is generous (a loaded machine), never an assertion on time. */
async function until(check: () => Promise<boolean>, what: () => string, budgetMs = 60_000): Promise<void> {
  const deadline = Date.now() + budgetMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
