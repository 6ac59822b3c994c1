import request from 'supertest';
import { lithuanianCode, seedProject, startLedgerTestApp, type LedgerTestApp, url } from './support/ledger-test-app';

describe('audit trail: from a figure to the events behind it', () => {
  let t: LedgerTestApp;
  let last = 0;
  const visit = (personalCode: string) => ({
    occurredOn: '2024-03-04',
    service: 'care',
    targetGroup: 'elderly',
    setting: 'home',
    durationMinutes: 30,
    recipient: { personalCode },
  });
  let voidedId = '';

  beforeAll(async () => {
    t = await startLedgerTestApp();
    await seedProject(t);
    await request(t.base)
      .post(url('/activities/service-deliveries'))
      .set(t.as('partnerA'))
      .send(visit(lithuanianCode('4450301123')))
      .expect(201);
    voidedId = (
      await request(t.base)
        .post(url('/activities/service-deliveries'))
        .set(t.as('partnerA'))
        .send(visit(lithuanianCode('3470702123')))
        .expect(201)
    ).body.activityId;
    await request(t.base)
      .post(url(`/activities/${voidedId}/void`))
      .set(t.as('partnerA'))
      .send({ reason: 'wrong person' })
      .expect(201);
    await request(t.base)
      .post(url('/activities/service-deliveries'))
      .set(t.as('partnerB'))
      .send(visit(lithuanianCode('4391111123')))
      .expect(201);
    await request(t.base)
      .put(url('/allocations/visaginas-spc/equipment'))
      .set(t.as('finance'))
      .send({ amount: '500.00' })
      .expect(201);
    const exp = await request(t.base)
      .post(url('/expenditures'))
      .set(t.as('partnerA'))
      .send({
        categoryId: 'equipment',
        amount: '99.99',
        occurredOn: '2024-03-05',
        documentRef: 'INV-1',
        description: 'Slings',
      })
      .expect(201);
    const verified = await request(t.base)
      .post(url(`/expenditures/${exp.body.expenditureId}/verify`))
      .set(t.as('finance'))
      .send({ eligible: '99.99', ineligible: '0.00' })
      .expect(201);
    last = verified.body.position;
    await request(t.base)
      .get(url(`/progress?position=${last}`))
      .set(t.as('auditor'))
      .expect(200);
  });
  afterAll(() => t.close());

  it('lists every event behind persons reached, voids included, in log order with who and when', async () => {
    const res = await request(t.base).get(url('/audit?figure=persons-reached')).set(t.as('auditor')).expect(200);
    expect(res.body.totalEvents).toBe(4);
    expect(res.body.events.map((e: { type: string }) => e.type)).toEqual([
      'ServiceDelivered',
      'ServiceDelivered',
      'ActivityVoided',
      'ServiceDelivered',
    ]);
    expect(res.body.events[2]).toMatchObject({
      streamId: `activity-${voidedId}`,
      revision: 1,
      actor: { subject: 'visaginas-user', role: 'partner-submitter' },
    });
    const positions = res.body.events.map((e: { position: number }) => e.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const page2 = await request(t.base)
      .get(url('/audit?figure=persons-reached&page=2&pageSize=3'))
      .set(t.as('auditor'))
      .expect(200);
    expect(page2.body.events).toHaveLength(1);
  });

  it('a partner sees only the events of its own records, whatever partner it names', async () => {
    const res = await request(t.base)
      .get(url('/audit?figure=persons-reached&partnerId=visaginas-spc'))
      .set(t.as('partnerB'))
      .expect(200);
    expect(res.body.totalEvents).toBe(1);
    expect(res.body.events[0].actor).toMatchObject({ partnerId: 'utena-spc' });
    await request(t.base).get(url('/audit?figure=budget')).set(t.as('partnerB')).expect(403);
  });

  it('lists the allocation and expenditure events behind a budget cell', async () => {
    const res = await request(t.base)
      .get(url('/audit?figure=budget&partnerId=visaginas-spc&categoryId=equipment'))
      .set(t.as('finance'))
      .expect(200);
    expect(res.body.events.map((e: { type: string }) => e.type)).toEqual([
      'AllocationSet',
      'ExpenditureDeclared',
      'ExpenditureVerified',
    ]);
    const bad = await request(t.base).get(url('/audit?figure=everything')).set(t.as('finance')).expect(400);
    expect(bad.body.issues).toEqual([expect.objectContaining({ field: 'figure', rule: 'enum' })]);
  });
});
