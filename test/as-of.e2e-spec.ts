import request from 'supertest';
import { XMLParser } from 'fast-xml-parser';
import {
  CODE,
  lithuanianCode,
  seedProject,
  startLedgerTestApp,
  type LedgerTestApp,
  url,
} from './support/ledger-test-app';

describe('figures as of a past position or day (?asOf=) reproduce an earlier report exactly', () => {
  let t: LedgerTestApp;
  const visit = (personalCode: string, occurredOn: string) => ({
    occurredOn,
    service: 'nursing',
    targetGroup: 'elderly',
    setting: 'home',
    durationMinutes: 60,
    recipient: { personalCode },
  });
  const [anna, jonas, ona] = ['4450301123', '3470702123', '4391111123'].map(lithuanianCode) as [string, string, string];
  let reportPosition = 0;
  let report: { progress: unknown; budget: unknown; volumes: unknown };

  beforeAll(async () => {
    t = await startLedgerTestApp();
    await seedProject(t);
    await request(t.base)
      .put(url('/allocations/visaginas-spc/staff'))
      .set(t.as('finance'))
      .send({ amount: '100.00' })
      .expect(201);
    await request(t.base)
      .post(url('/activities/service-deliveries'))
      .set(t.as('partnerA'))
      .send(visit(anna, '2024-03-01'))
      .expect(201);
    const jonasVisit = await request(t.base)
      .post(url('/activities/service-deliveries'))
      .set(t.as('partnerA'))
      .send(visit(jonas, '2024-03-02'))
      .expect(201);
    reportPosition = jonasVisit.body.position;
    const at = `?position=${reportPosition}`;
    report = {
      progress: (
        await request(t.base)
          .get(url(`/progress${at}`))
          .set(t.as('auditor'))
          .expect(200)
      ).body,
      budget: (
        await request(t.base)
          .get(url(`/budget${at}`))
          .set(t.as('auditor'))
          .expect(200)
      ).body,
      volumes: (
        await request(t.base)
          .get(url(`/volumes${at}`))
          .set(t.as('auditor'))
          .expect(200)
      ).body,
    };
    // Later changes: a void, a new person at another partner, a new allocation.
    await request(t.base)
      .post(url(`/activities/${jonasVisit.body.activityId}/void`))
      .set(t.as('partnerA'))
      .send({ reason: 'wrong person' })
      .expect(201);
    await request(t.base)
      .post(url('/activities/service-deliveries'))
      .set(t.as('partnerB'))
      .send(visit(ona, '2024-03-05'))
      .expect(201);
    const last = await request(t.base)
      .put(url('/allocations/visaginas-spc/staff'))
      .set(t.as('finance'))
      .send({ amount: '200.00' })
      .expect(201);
    await request(t.base)
      .get(url(`/progress?position=${last.body.position}`))
      .set(t.as('auditor'))
      .expect(200);
  });
  afterAll(() => t.close());

  it('live figures have moved on', async () => {
    const live = await request(t.base).get(url('/progress')).set(t.as('auditor')).expect(200);
    expect(live.body.byPartner).toEqual({ 'utena-spc': 1, 'visaginas-spc': 1 });
    const budget = await request(t.base).get(url('/budget')).set(t.as('auditor')).expect(200);
    expect(budget.body.total.allocated).toBe('200.00');
  });

  it('asOf=<position> answers exactly what was answered then', async () => {
    const progress = await request(t.base)
      .get(url(`/progress?asOf=${reportPosition}`))
      .set(t.as('auditor'))
      .expect(200);
    expect(progress.body).toEqual(report.progress);
    expect(progress.body.byPartner).toEqual({ 'visaginas-spc': 2 });
    expect(
      (
        await request(t.base)
          .get(url(`/budget?asOf=${reportPosition}`))
          .set(t.as('auditor'))
          .expect(200)
      ).body,
    ).toEqual(report.budget);
    expect(
      (
        await request(t.base)
          .get(url(`/volumes?asOf=${reportPosition}`))
          .set(t.as('auditor'))
          .expect(200)
      ).body,
    ).toEqual(report.volumes);
  });

  it('asOf=<day> takes the ledger at the end of that day; bad values are refused', async () => {
    // Before the project was registered there is no project to report on.
    const before = await request(t.base).get(url('/progress?asOf=2020-01-01')).set(t.as('auditor')).expect(404);
    expect(before.body.message).toMatch(/not registered/);
    for (const path of ['/volumes', '/budget', '/audit?figure=volumes']) {
      const res = await request(t.base)
        .get(url(`${path}${path.includes('?') ? '&' : '?'}asOf=2020-01-01`))
        .set(t.as('auditor'))
        .expect(404);
      expect(res.body.message).toMatch(/not registered/);
    }
    // The app's clock stands on 2024-06-15 (Vilnius), the day every event here was recorded.
    const today = await request(t.base).get(url('/progress?asOf=2024-06-15')).set(t.as('auditor')).expect(200);
    expect(today.body.byPartner).toEqual({ 'utena-spc': 1, 'visaginas-spc': 1 });
    const bad = await request(t.base).get(url('/progress?asOf=yesterday')).set(t.as('auditor')).expect(400);
    expect(bad.body.issues).toEqual([expect.objectContaining({ field: 'asOf', rule: 'date-or-position' })]);
  });
});

describe('the day an as-of answer counts as today; days yet to come are refused', () => {
  let t: LedgerTestApp;
  // The app's clock: moved forward by the test between the two visits.
  const now = new Date('2024-04-10T09:00:00Z');
  let april = 0;
  let activityId = '';
  let expenditureId = '';
  const get = (path: string, who: Parameters<LedgerTestApp['as']>[0] = 'auditor') =>
    request(t.base).get(url(path)).set(t.as(who));
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'period' });
  /** The end of the last IATI indicator period that has an actual value. */
  const lastActual = (xml: string): string => {
    const periods = parser.parse(xml)['iati-activities']['iati-activity'].result.indicator.period as {
      'period-end': { 'iso-date': string };
      actual?: unknown;
    }[];
    return periods.filter((p) => p.actual !== undefined).at(-1)!['period-end']['iso-date'];
  };

  beforeAll(async () => {
    t = await startLedgerTestApp(now);
    await seedProject(t);
    const visit = await request(t.base)
      .post(url('/activities/service-deliveries'))
      .set(t.as('partnerA'))
      .send({
        occurredOn: '2024-04-01',
        service: 'nursing',
        targetGroup: 'elderly',
        setting: 'home',
        durationMinutes: 60,
        recipient: { personalCode: lithuanianCode('4450301123') },
      })
      .expect(201);
    april = visit.body.position;
    activityId = visit.body.activityId;
    now.setTime(Date.parse('2024-08-20T09:00:00Z'));
    const cost = await request(t.base)
      .post(url('/expenditures'))
      .set(t.as('partnerA'))
      .send({ categoryId: 'staff', amount: '10.00', occurredOn: '2024-08-19', documentRef: 'P-1', description: 'Pay' })
      .expect(201);
    expenditureId = cost.body.expenditureId;
    await get(`/progress?position=${cost.body.position}`).expect(200);
  });
  afterAll(() => t.close());

  it('asOf=<day>: the day asked for, in the exports as in progress; asOf=<position>: the day it was recorded', async () => {
    // Nothing was recorded between 2024-04-10 and 2024-08-20: both points stand on the April visit.
    const byDay = await get('/exports/iati?asOf=2024-07-31').expect(200);
    const byPosition = await get(`/exports/iati?asOf=${april}`).expect(200);
    expect(byDay.headers['x-ledger-position']).toBe(String(april));
    expect(byPosition.headers['x-ledger-position']).toBe(String(april));
    // Same position, another file: the name says the day it was asked for.
    expect(byDay.headers['content-disposition']).toBe(
      `attachment; filename="iati-${CODE}-at-${april}-on-2024-07-31.xml"`,
    );
    expect(byPosition.headers['content-disposition']).toBe(`attachment; filename="iati-${CODE}-at-${april}.xml"`);
    expect(lastActual(byDay.text)).toBe('2024-09-30');
    expect(lastActual(byPosition.text)).toBe('2024-06-30');

    const esfByDay = (await get('/exports/esf-indicators?asOf=2024-07-31').expect(200)).body;
    const esfByPosition = (await get(`/exports/esf-indicators?asOf=${april}`).expect(200)).body;
    expect(esfByDay).toMatchObject({ position: april, recordedAt: '2024-04-10T09:00:00.000Z' });
    expect(esfByDay.periods.at(-1).id).toBe('2024-Q3');
    expect(esfByPosition.periods.at(-1).id).toBe('2024-Q2');

    // Progress counts the same day: its curve runs to the month of the day it stands on.
    const progressByDay = (await get('/progress?asOf=2024-07-31').expect(200)).body;
    const progressByPosition = (await get(`/progress?asOf=${april}`).expect(200)).body;
    expect(progressByDay.position).toBe(april);
    expect(progressByDay.curve.at(-1).month).toBe('2024-07');
    expect(progressByPosition.curve.at(-1).month).toBe('2024-04');
  });

  it('a day yet to come is refused on every query that takes asOf, naming the field and the rule', async () => {
    for (const path of [
      '/progress',
      '/budget',
      '/volumes',
      '/audit?figure=persons-reached',
      '/exports/esf-indicators',
      '/exports/iati',
      `/activities/${activityId}`,
      `/expenditures/${expenditureId}`,
    ]) {
      const res = await get(`${path}${path.includes('?') ? '&' : '?'}asOf=2024-08-21`).expect(422);
      expect(res.body.issues).toEqual([
        expect.objectContaining({ field: 'asOf', rule: 'not-after-today', value: '2024-08-21' }),
      ]);
    }
    // Today itself is a day that has come: the ledger as it stands now.
    const today = (await get('/budget?asOf=2024-08-20').expect(200)).body;
    expect(today.total.declared).toBe('10.00');
  });
});
