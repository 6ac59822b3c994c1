// Quality certificates (issue #19 item 2): the agency records awards, renewals and withdrawals; the
// certified partner reads its own; an expired certificate (worked out by hand) raises an alert that
// its renewal resolves; as of a point before the renewal it answers expired again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startPrivateRedis, stopPrivateRedis, type JobWorker } from '@ihl/jobs';
import { personalCodeCheckDigit } from '@ihl/privacy';
import { seedProject, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';
import { finishedJob, startReportWorker } from './support/report-worker';

const PERSON = '4860318174' + String(personalCodeCheckDigit('4860318174'));
const EXPIRED = '2c000000-0000-4000-8000-000000000001';
const EXPIRING = '2c000000-0000-4000-8000-000000000002';
const VALID = '2c000000-0000-4000-8000-000000000003';
const award = (certificateId: string, over: object) => ({
  certificateId,
  partnerId: 'visaginas-spc',
  scheme: 'equass-assurance',
  services: ['care', 'nursing'],
  validFrom: '2022-03-24',
  validTo: '2024-03-23',
  certifyingBody: 'EQUASS (EPR), per VšĮ Valakupių reabilitacijos centrą',
  certificateRef: 'EQUASS-A-2022-117',
  ...over,
});
type Who = 'auditor' | 'partnerA' | 'partnerB' | 'finance' | 'admin';

describe('certifications', () => {
  let t: LedgerTestApp;
  let redisDir: string;
  let worker: JobWorker | null = null;
  let beforeRenewal = 0;
  const get = (who: Who, path: string) =>
    request(t.base)
      .get(url(`/certifications${path}`))
      .set(t.as(who));
  const post = (path: string, body: object, who: Who = 'auditor') =>
    request(t.base)
      .post(url(`/certifications${path}`))
      .set(t.as(who))
      .send(body);
  const runChecks = async () => {
    const started = await request(t.base)
      .post('/api/v1/admin/jobs/checks')
      .set(t.as('admin'))
      .send({ projectCode: '07-003-P-0001' })
      .expect(202);
    expect(await finishedJob(t.base, started.headers.location, t.as('admin'))).toMatchObject({ state: 'completed' });
  };
  const certificateAlerts = async () =>
    (await request(t.base).get(url('/alerts?status=all')).set(t.as('auditor')).expect(200)).body.alerts
      .filter((a: { check: string }) => a.check.startsWith('certificate-'))
      .map((a: { check: string; subject: { recordId: string }; status: string }) => [
        a.check,
        a.subject.recordId,
        a.status,
      ]);

  beforeAll(async () => {
    redisDir = mkdtempSync(join(tmpdir(), 'ihl-certificates-redis-'));
    const redis = await startPrivateRedis(redisDir);
    // Today is 2024-06-15.
    t = await startLedgerTestApp(new Date('2024-06-15T10:00:00Z'), { REDIS_URL: redis.url });
    await seedProject(t);
    worker = await startReportWorker(redis.url, t.app, t.dir);
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await stopPrivateRedis(redisDir);
    rmSync(redisDir, { recursive: true, force: true });
  });

  it('the auditor records awards (201, the same again 200); partners and finance may not', async () => {
    const res = await post('', award(EXPIRED, {})).expect(201);
    expect(res.headers.location).toBe(url(`/certifications/${EXPIRED}`));
    await post('', award(EXPIRED, {})).expect(200);
    // Utena's ISO 9001 ends on 2024-07-31: 46 days after 2024-06-15, within the 60-day warning.
    await post(
      '',
      award(EXPIRING, {
        partnerId: 'utena-spc',
        scheme: 'iso-9001',
        services: ['rehabilitation'],
        validFrom: '2021-08-01',
        validTo: '2024-07-31',
        certifyingBody: 'Bureau Veritas Lietuva',
        certificateRef: 'ISO-9001-LT-5521',
      }),
    ).expect(201);
    await post(
      '',
      award(VALID, {
        scheme: 'other',
        schemeName: 'Socialinių paslaugų kokybės ženklas',
        validFrom: '2024-01-10',
        validTo: '2027-01-09',
        certificateRef: 'SPKZ-2024-3',
      }),
    ).expect(201);
    await post('', award('2c000000-0000-4000-8000-000000000009', {}), 'partnerA').expect(403);
    await post('', award('2c000000-0000-4000-8000-000000000009', {}), 'finance').expect(403);
  });

  it('bad input is a 4xx naming the field and rule; a personal code is never echoed; nothing written', async () => {
    const other = await post('', award('2c000000-0000-4000-8000-000000000010', { scheme: 'other' }));
    expect(other.status).toBe(400);
    expect(JSON.stringify(other.body)).toContain('schemeName');
    const order = await post('', award('2c000000-0000-4000-8000-000000000011', { validTo: '2022-03-01' }));
    expect(order.status).toBe(422);
    expect(JSON.stringify(order.body)).toContain('in-order');
    const service = await post('', award('2c000000-0000-4000-8000-000000000012', { services: ['cooking'] }));
    expect(service.status).toBe(400);
    expect(JSON.stringify(service.body)).toContain('services');
    const code = await post('', award('2c000000-0000-4000-8000-000000000013', { certificateRef: PERSON }));
    expect(code.status).toBeGreaterThanOrEqual(400);
    expect(code.status).toBeLessThan(500);
    expect(JSON.stringify(code.body)).not.toContain(PERSON);
    const list = await get('auditor', '').expect(200);
    expect(list.body.certificates).toHaveLength(3);
  });

  it('answers each with its status on the day: expired (ended 2024-03-23), expiring, valid; partners see their own', async () => {
    const one = await get('partnerA', `/${EXPIRED}`).expect(200);
    expect(one.body).toMatchObject({ status: 'expired', today: '2024-06-15', validTo: '2024-03-23', renewals: 0 });
    expect(one.body.history.map((h: { type: string }) => h.type)).toEqual(['CertificateAwarded']);
    await get('partnerB', `/${EXPIRED}`).expect(404);
    await get('finance', `/${EXPIRED}`).expect(403);
    const list = await get('auditor', '').expect(200);
    const statuses = list.body.certificates.map((c: { certificateId: string; status: string }) => [
      c.certificateId,
      c.status,
    ]);
    expect(statuses).toEqual([
      [EXPIRING, 'expiring'],
      [EXPIRED, 'expired'],
      [VALID, 'valid'],
    ]);
    // With a 30-day warning Utena's (46 days left) is still valid.
    expect((await get('auditor', `/${EXPIRING}?expiringWithinDays=30`).expect(200)).body.status).toBe('valid');
    const own = await get('partnerA', '').expect(200);
    expect(own.body.certificates.map((c: { certificateId: string }) => c.certificateId)).toEqual([EXPIRED, VALID]);
    expect((await get('partnerB', '?partnerId=visaginas-spc').expect(200)).body.certificates).toEqual([]);
    expect((await get('auditor', '?status=expired').expect(200)).body.certificates).toHaveLength(1);
  });

  it('the checks raise certificate-expired and certificate-expiring; a renewal resolves the expired one', async () => {
    await runChecks();
    expect(await certificateAlerts()).toEqual([
      ['certificate-expiring', EXPIRING, 'open'],
      ['certificate-expired', EXPIRED, 'open'],
    ]);
    beforeRenewal = (await get('auditor', '').expect(200)).body.position;
    await post(`/${EXPIRED}/renewal`, {
      renewedOn: '2024-06-14',
      validTo: '2026-03-23',
      certificateRef: 'EQUASS-A-2024-031',
    }).expect(201);
    await runChecks();
    expect(await certificateAlerts()).toEqual([
      ['certificate-expiring', EXPIRING, 'open'],
      ['certificate-expired', EXPIRED, 'resolved'],
    ]);
    const renewed = await get('auditor', `/${EXPIRED}`).expect(200);
    expect(renewed.body).toMatchObject({ status: 'valid', validTo: '2026-03-23', renewals: 1 });
    expect(renewed.body.history.map((h: { type: string; by: unknown }) => h.type)).toEqual([
      'CertificateAwarded',
      'CertificateRenewed',
    ]);
  });

  it('as of a position before the renewal, it answers as it stood: expired', async () => {
    const then = await get('auditor', `/${EXPIRED}?asOf=${beforeRenewal}`).expect(200);
    expect(then.body).toMatchObject({ status: 'expired', validTo: '2024-03-23', renewals: 0 });
    const list = await get('auditor', `?asOf=${beforeRenewal}&status=expired`).expect(200);
    expect(list.body.certificates.map((c: { certificateId: string }) => c.certificateId)).toEqual([EXPIRED]);
  });

  it('a withdrawal needs a reason; a withdrawn certificate is not renewed (409)', async () => {
    await post(`/${VALID}/withdrawal`, { withdrawnOn: '2024-06-01' }).expect(400);
    await post(`/${VALID}/withdrawal`, { withdrawnOn: '2024-06-01', reason: 'Atšaukė sertifikuojanti įstaiga' }).expect(
      201,
    );
    expect((await get('auditor', `/${VALID}`).expect(200)).body.status).toBe('withdrawn');
    const again = await post(`/${VALID}/renewal`, {
      renewedOn: '2024-06-10',
      validTo: '2028-01-09',
      certificateRef: 'SPKZ-2024-4',
    });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('is withdrawn');
  });
});
