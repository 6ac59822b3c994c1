import request from 'supertest';
import {
  CODE,
  lithuanianCode,
  seedProject,
  startLedgerTestApp,
  type LedgerTestApp,
  url,
} from './support/ledger-test-app';

describe('progress toward the unique-persons target over HTTP (read model, read-your-writes)', () => {
  let t: LedgerTestApp;
  const visit = (personalCode: string, occurredOn: string) => ({
    occurredOn,
    service: 'care',
    targetGroup: 'elderly',
    setting: 'home',
    durationMinutes: 45,
    recipient: { personalCode },
  });
  const [anna, jonas, ona] = ['4450301123', '3470702123', '4391111123'].map(lithuanianCode);

  beforeAll(async () => {
    t = await startLedgerTestApp();
    await seedProject(t);
  });
  afterAll(() => t.close());

  it('counts each person once across services and partners; a void of the only service removes them', async () => {
    await request(t.base)
      .post(url('/activities/service-deliveries'))
      .set(t.as('partnerA'))
      .send(visit(anna!, '2024-03-01'))
      .expect(201);
    await request(t.base)
      .post(url('/activities/service-deliveries'))
      .set(t.as('partnerA'))
      .send(visit(anna!, '2024-03-08'))
      .expect(201);
    await request(t.base)
      .post(url('/activities/service-deliveries'))
      .set(t.as('partnerB'))
      .send(visit(anna!, '2024-02-20'))
      .expect(201);
    await request(t.base)
      .post(url('/activities/service-deliveries'))
      .set(t.as('partnerA'))
      .send(visit(jonas!, '2024-03-02'))
      .expect(201);
    const onlyVisit = await request(t.base)
      .post(url('/activities/service-deliveries'))
      .set(t.as('partnerB'))
      .send(visit(ona!, '2024-03-03'))
      .expect(201);
    const voided = await request(t.base)
      .post(url(`/activities/${onlyVisit.body.activityId}/void`))
      .set(t.as('partnerB'))
      .send({ reason: 'wrong person' })
      .expect(201);

    const res = await request(t.base)
      .get(url(`/progress?position=${voided.body.position}`))
      .set(t.as('auditor'))
      .expect(200);
    expect(res.body).toMatchObject({
      projectCode: CODE,
      personsReached: 2,
      byPartner: { 'utena-spc': 1, 'visaginas-spc': 1 },
      targets: [{ id: 'persons-reached', value: 4018, actual: 2, share: 0.0005 }],
    });
    expect(res.body.position).toBeGreaterThanOrEqual(voided.body.position);
    expect(res.body).toMatchObject({
      byTargetGroup: { elderly: 2 },
      byService: { care: 2 },
      bySetting: { home: 2 },
      newByMonth: { '2024-02': 1, '2024-03': 1 },
    });
    // From December 2022 to "today" (2024-06-15): 19 months; 2 persons in the last 6 complete months.
    expect(res.body.curve).toHaveLength(19);
    expect(res.body.curve[18]).toMatchObject({ month: '2024-06', cumulative: 2 });
    expect(res.body.targets[0]).toMatchObject({ pacePerMonth: 0.33, forecastAtDeadline: 12, onTrack: false });
  });

  it('exports progress as CSV: totals, breakdowns and the curve', async () => {
    const res = await request(t.base).get(url('/progress?format=csv')).set(t.as('auditor')).expect(200);
    const lines = res.text.trim().split('\n');
    expect(lines[0]).toBe('dimension,key,persons,trajectory');
    expect(lines).toEqual(
      expect.arrayContaining([
        'total,,2,',
        'partner,utena-spc,1,',
        'target_group,elderly,2,',
        'new_in_month,2024-03,1,',
      ]),
    );
    expect(lines.filter((l) => l.startsWith('cumulative,'))).toHaveLength(19);
  });

  it('a partner sees only its own figure: the persons it served itself', async () => {
    const res = await request(t.base).get(url('/progress')).set(t.as('partnerA')).expect(200);
    // Anna and Jonas: Anna counts for Visaginas too, though Utena served her first (in the project
    // figure she is Utena's); whether another partner served a person does not show here.
    expect(res.body.byPartner).toEqual({ 'visaginas-spc': 2 });
    expect(res.body.personsReached).toBe(2);
    expect(res.body.newByMonth).toEqual({ '2024-03': 2 });
  });

  it('asks to retry when the read model has not reached the position yet', async () => {
    const res = await request(t.base).get(url('/progress?position=999999999')).set(t.as('auditor')).expect(503);
    expect(res.headers['retry-after']).toBe('1');
    const bad = await request(t.base).get(url('/progress?position=-1')).set(t.as('auditor')).expect(400);
    expect(bad.body.issues).toEqual([expect.objectContaining({ field: 'position', rule: 'integer' })]);
  });
});
