// The "finding overdue" check (issue #19 item 1): an inspection finding open past its due day
// raises an alert on the next run of the checks; resolving the finding resolves the alert.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startPrivateRedis, stopPrivateRedis, type JobWorker } from '@ihl/jobs';
import { seedProject, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';
import { finishedJob, startReportWorker } from './support/report-worker';

const ID = '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d';

describe('finding overdue: raised by the checks, resolved with the finding', () => {
  let t: LedgerTestApp;
  let redisDir: string;
  let worker: JobWorker | null = null;

  const runChecks = async () => {
    const started = await request(t.base)
      .post('/api/v1/admin/jobs/checks')
      .set(t.as('admin'))
      .send({ projectCode: '07-003-P-0001' })
      .expect(202);
    const job = await finishedJob(t.base, started.headers.location, t.as('admin'));
    expect(job).toMatchObject({ state: 'completed' });
  };
  const overdue = async (who: 'auditor' | 'partnerA' | 'partnerB') =>
    (await request(t.base).get(url('/alerts?status=all')).set(t.as(who)).expect(200)).body.alerts.filter(
      (a: { check: string }) => a.check === 'finding-overdue',
    ) as { subject: object; details: object; status: string }[];

  beforeAll(async () => {
    redisDir = mkdtempSync(join(tmpdir(), 'ihl-findings-redis-'));
    const redis = await startPrivateRedis(redisDir);
    t = await startLedgerTestApp(new Date('2024-06-15T10:00:00Z'), { REDIS_URL: redis.url });
    await seedProject(t);
    worker = await startReportWorker(redis.url, t.app, t.dir);
    await request(t.base)
      .post(url('/inspections'))
      .set(t.as('auditor'))
      .send({
        inspectionId: ID,
        partnerId: 'visaginas-spc',
        kind: 'unplanned',
        scope: 'Integrali pagalba namuose',
        standards: ['equass-rights'],
        startedOn: '2024-05-02',
        endedOn: '2024-05-02',
        inspectorRefs: ['INSP-07'],
      })
      .expect(201);
    const finding = (findingId: string, dueOn: string) =>
      request(t.base)
        .post(url(`/inspections/${ID}/findings`))
        .set(t.as('auditor'))
        .send({ findingId, standard: 'equass-rights', severity: 'critical', description: 'Nėra sutikimų', dueOn })
        .expect(201);
    // Today is 2024-06-15: F-LATE was due five days ago, F-TODAY is due today (not yet late).
    await finding('F-LATE', '2024-06-10');
    await finding('F-TODAY', '2024-06-15');
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await stopPrivateRedis(redisDir);
    rmSync(redisDir, { recursive: true, force: true });
  });

  it('a run raises one alert, for the finding past its due day, seen by the agency and its partner only', async () => {
    await runChecks();
    const alerts = await overdue('auditor');
    expect(alerts).toEqual([
      expect.objectContaining({
        subject: { partnerId: 'visaginas-spc', recordId: `${ID}/F-LATE` },
        details: { severity: 'critical', dueOn: '2024-06-10' },
        status: 'open',
      }),
    ]);
    expect(await overdue('partnerA')).toHaveLength(1);
    expect(await overdue('partnerB')).toEqual([]);
  });

  it('resolving the finding resolves its alert on the next run', async () => {
    await request(t.base)
      .post(url(`/inspections/${ID}/findings/F-LATE/resolve`))
      .set(t.as('auditor'))
      .send({ resolvedOn: '2024-06-15' })
      .expect(201);
    await runChecks();
    const alerts = await overdue('auditor');
    expect(alerts.map((a) => a.status)).toEqual(['resolved']);
  });
});
