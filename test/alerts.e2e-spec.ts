import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import request from 'supertest';
import {
  CHECKS_SCHEDULER_ID,
  LEDGER_QUEUE,
  scheduleChecks,
  startPrivateRedis,
  stopPrivateRedis,
  type JobWorker,
  type PrivateRedis,
} from '@ihl/jobs';
import { lithuanianCode, seedProject, startLedgerTestApp, type LedgerTestApp, url } from './support/ledger-test-app';
import { finishedJob, startReportWorker } from './support/report-worker';

type Who = 'admin' | 'auditor' | 'finance' | 'partnerA' | 'partnerB';
const A = 'visaginas-spc';
const B = 'utena-spc';
/** The reference project reports quarterly from 2022-12-08: these had ended more than 30 days before 2024-06-15. */
const PERSONAL_CODE = lithuanianCode('3400101123');
const ENDED = ['2022-Q4', '2023-Q1', '2023-Q2', '2023-Q3', '2023-Q4', '2024-Q1'];

/**
 * The scheduled checks end to end, on a real SQLite file and a real redis-server, with the worker
 * in this process. Records are written with the clock at 2024-03-01, then the ledger is served
 * again from the same files with the clock at 2024-06-15, when they have waited 106 days.
 */
describe('scheduled checks: alerts raised once, resolved when fixed, read by role', () => {
  let t: LedgerTestApp;
  let redisDir: string;
  let redis: PrivateRedis;
  let worker: JobWorker | null = null;
  const ids: Record<string, string> = {};

  const post = async (who: Who, path: string, body: object, status = 201) =>
    (await request(t.base).post(url(path)).set(t.as(who)).send(body).expect(status)).body;
  const runChecks = async (body: object = { projectCode: '07-003-P-0001' }) => {
    const started = await request(t.base).post('/api/v1/admin/jobs/checks').set(t.as('admin')).send(body).expect(202);
    expect(started.body).toMatchObject({ name: 'run-checks', state: 'waiting' });
    const job = await finishedJob(t.base, started.headers.location, t.as('admin'));
    expect(job).toMatchObject({ state: 'completed' });
    expect(job.result.projects).toHaveLength(1);
    return job.result.projects[0] as { raised: number; resolved: number; position: number };
  };
  const alerts = async (who: Who, query = '') =>
    (
      await request(t.base)
        .get(url(`/alerts${query}`))
        .set(t.as(who))
        .expect(200)
    ).body;
  const causes = (body: { alerts: { cause: string }[] }) => body.alerts.map((a) => a.cause).sort();

  beforeAll(async () => {
    redisDir = mkdtempSync(join(tmpdir(), 'ihl-alerts-redis-'));
    redis = await startPrivateRedis(redisDir);
    const before = await startLedgerTestApp(new Date('2024-03-01T10:00:00Z'), { REDIS_URL: redis.url });
    t = before;
    await seedProject(t);
    await request(t.base)
      .put(url('/allocations/visaginas-spc/equipment'))
      .set(t.as('finance'))
      .send({ amount: '1000.00' })
      .expect(201);
    ids.service = (
      await post('partnerA', '/activities/service-deliveries', {
        occurredOn: '2024-02-20',
        service: 'nursing',
        targetGroup: 'elderly',
        setting: 'home',
        durationMinutes: 60,
        recipient: { personalCode: PERSONAL_CODE },
      })
    ).activityId;
    ids.training = (
      await post('partnerA', '/activities/trainings', {
        occurredOn: '2024-02-21',
        trainingKind: 'competence',
        topic: 'Safe transfer',
        durationMinutes: 240,
        participants: 8,
      })
    ).activityId;
    ids.cost = (
      await post('partnerA', '/expenditures', {
        categoryId: 'equipment',
        amount: '1234.57',
        occurredOn: '2024-02-22',
        documentRef: 'INV-1',
        description: 'Hoist',
      })
    ).expenditureId;
    // The same files, served again later: what was recorded then has waited since.
    await before.app.close();
    await before.store.close();
    t = await startLedgerTestApp(new Date('2024-06-15T10:00:00Z'), { REDIS_URL: redis.url }, { dir: before.dir });
    worker = await startReportWorker(redis.url, t.app, t.dir);
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await stopPrivateRedis(redisDir);
    rmSync(redisDir, { recursive: true, force: true });
  });

  it('a run raises each finding once; a second run raises nothing', async () => {
    const first = await runChecks();
    expect(first).toMatchObject({ raised: 13, resolved: 0 });
    const all = await alerts('auditor');
    expect(all).toMatchObject({ status: 'open', partnerId: null, page: 1, pageSize: 50, total: 13 });
    expect(causes(all)).toEqual(
      [
        `behind-trajectory:${A}`,
        `over-allocation:${A}:equipment`,
        `awaiting-verification:${A}:${ids.service}`,
        `awaiting-verification:${A}:${ids.training}`,
        `awaiting-verification:${A}:${ids.cost}`,
        ...ENDED.map((p) => `period-not-locked:${p}`),
        `no-submissions:${A}`,
        `no-submissions:${B}`,
      ].sort(),
    );
    const over = all.alerts.find((a: { check: string }) => a.check === 'over-allocation');
    expect(over).toMatchObject({
      alertId: `over-allocation:${A}:equipment#1`,
      subject: { partnerId: A, categoryId: 'equipment' },
      details: { allocated: '1000.00', declared: '1234.57', eligible: '0.00' },
      status: 'open',
      raisedAt: '2024-06-15T10:00:00.000Z',
      resolvedAt: null,
    });
    const waiting = all.alerts.find((a: { cause: string }) => a.cause.endsWith(ids.cost!));
    expect(waiting.details).toEqual({ kind: 'expenditure', recordedOn: '2024-03-01' });

    const second = await runChecks();
    expect(second).toMatchObject({ raised: 0, resolved: 0 });
    expect((await alerts('finance', '?status=all')).total).toBe(13);
    const raisedEvents = (await t.store.readStream('alerts-07-003-P-0001')).filter((e) => e.type === 'AlertRaised');
    expect(raisedEvents).toHaveLength(13);
  });

  it('a partner sees the alerts about itself only; the other roles see all', async () => {
    const a = await alerts('partnerA', '?status=all');
    expect(a).toMatchObject({ partnerId: A, total: 6 });
    expect(a.alerts.every((x: { subject: { partnerId?: string } }) => x.subject.partnerId === A)).toBe(true);
    expect(causes(await alerts('partnerB'))).toEqual([`no-submissions:${B}`]);
    expect((await alerts('admin')).total).toBe(13);
  });

  it('fixing a cause resolves its alert on the next run; what is not fixed stays open, not raised again', async () => {
    await post('auditor', `/activities/${ids.service}/verify`, { note: 'seen' });
    await post('auditor', `/activities/${ids.training}/reject`, { reason: 'no attendance list' });
    await post('finance', `/expenditures/${ids.cost}/verify`, {
      eligible: '1000.00',
      ineligible: '234.57',
      ineligibleReason: 'not-in-approved-budget',
    });
    await request(t.base)
      .put(url('/allocations/visaginas-spc/equipment'))
      .set(t.as('finance'))
      .send({ amount: '2000.00' })
      .expect(201);
    for (const p of ENDED) await post('auditor', `/periods/${p}/lock`, {});
    await post('partnerB', '/activities/trainings', {
      occurredOn: '2024-06-10',
      trainingKind: 'competence',
      topic: 'Lifting',
      durationMinutes: 120,
      participants: 4,
    });

    expect(await runChecks()).toMatchObject({ raised: 0, resolved: 11 });
    expect(causes(await alerts('auditor'))).toEqual([`behind-trajectory:${A}`, `no-submissions:${A}`]);
    const resolved = await alerts('auditor', '?status=resolved&pageSize=5&page=3');
    expect(resolved).toMatchObject({ status: 'resolved', page: 3, pageSize: 5, total: 11 });
    expect(resolved.alerts).toHaveLength(1);
    expect(resolved.alerts[0]).toMatchObject({ status: 'resolved', resolvedWhy: 'no longer found by its check' });
    // As the schedule runs it: every registered project.
    expect(await runChecks({})).toMatchObject({ projectCode: '07-003-P-0001', raised: 0, resolved: 0 });
  });

  it('refuses bad input naming the field, an unknown project, and other roles', async () => {
    const bad = await request(t.base)
      .post('/api/v1/admin/jobs/checks')
      .set(t.as('admin'))
      .send({ projectCode: '../x' })
      .expect(400);
    expect(JSON.stringify(bad.body)).toContain('projectCode');
    await request(t.base)
      .post('/api/v1/admin/jobs/checks')
      .set(t.as('admin'))
      .send({ projectCode: 'NOPE-1' })
      .expect(404);
    await request(t.base).post('/api/v1/admin/jobs/checks').set(t.as('auditor')).send({}).expect(403);
    const q = await request(t.base).get(url('/alerts?status=closed')).set(t.as('auditor')).expect(400);
    expect(JSON.stringify(q.body)).toContain('status');
    await request(t.base).get(url('/alerts?pageSize=501')).set(t.as('auditor')).expect(400);
  });

  it('leaves no personal code in Redis: the jobs hold a project code at most', async () => {
    const client = new IORedis(redis.url);
    try {
      const texts: string[] = [];
      for (const key of await client.keys('*')) {
        const type = await client.type(key);
        texts.push(key, type === 'hash' ? JSON.stringify(await client.hgetall(key)) : '');
        if (type === 'string') texts.push(String(await client.get(key)));
      }
      const everything = texts.join('\n');
      expect(everything).toContain('run-checks');
      expect(everything).toContain('projectCode');
      expect(everything).not.toContain(PERSONAL_CODE);
    } finally {
      client.disconnect();
    }
  });

  it('the worker keeps one job scheduler of the checks, however often it is upserted, and removes it when off', async () => {
    const schedule = { cron: '0 6 * * *', timeZone: 'Europe/Vilnius' };
    await scheduleChecks(redis.url, schedule);
    await scheduleChecks(redis.url, schedule);
    const queue = new Queue(LEDGER_QUEUE, { connection: { url: redis.url } });
    try {
      expect(await queue.getJobSchedulersCount()).toBe(1);
      expect(await queue.getJobScheduler(CHECKS_SCHEDULER_ID)).toMatchObject({
        name: 'run-checks',
        pattern: '0 6 * * *',
        tz: 'Europe/Vilnius',
      });
      await scheduleChecks(redis.url, { ...schedule, cron: null });
      expect(await queue.getJobSchedulersCount()).toBe(0);
    } finally {
      await queue.close();
    }
  });

  it('with Redis down the job route answers 503 naming the queue; the alerts still answer; then Redis returns', async () => {
    await worker?.close();
    worker = null;
    const port = Number(new URL(redis.url).port);
    await stopPrivateRedis(redisDir);
    const res = await request(t.base).post('/api/v1/admin/jobs/checks').set(t.as('admin')).send({});
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('30');
    expect(JSON.stringify(res.body)).toMatch(/job queue \(Redis\) is unavailable/);
    expect((await alerts('auditor')).total).toBe(2);

    // Back where the api expects it: the job route enqueues again once its connection is restored.
    redis = await startPrivateRedis(redisDir, { port });
    let status = 0;
    for (let i = 0; i < 300 && status !== 202; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      status = (await request(t.base).post('/api/v1/admin/jobs/checks').set(t.as('admin')).send({})).status;
    }
    expect(status).toBe(202);
  }, 60_000);
});
