import request from 'supertest';
import { vilniusDate } from '@ihl/application';
import { lithuanianCode, seedProject, startLedgerTestApp, type LedgerTestApp, url } from './support/ledger-test-app';

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
    const today = await request(t.base)
      .get(url(`/progress?asOf=${vilniusDate(new Date())}`))
      .set(t.as('auditor'))
      .expect(200);
    expect(today.body.byPartner).toEqual({ 'utena-spc': 1, 'visaginas-spc': 1 });
    const bad = await request(t.base).get(url('/progress?asOf=yesterday')).set(t.as('auditor')).expect(400);
    expect(bad.body.issues).toEqual([expect.objectContaining({ field: 'asOf', rule: 'date-or-position' })]);
  });
});
