import request from 'supertest';
import { lithuanianCode, seedProject, startLedgerTestApp, type LedgerTestApp, url } from './support/ledger-test-app';

/**
 * One scenario through every figure: a person served by two partners, a void, a correction in a
 * locked quarter that only counts once the agency approves it, a declined restatement, partial
 * eligibility, an over-spent line and awkward cent amounts. Each expected value is worked out by
 * hand in the comments.
 */
describe('figures of a whole scenario against hand-computed values', () => {
  let t: LedgerTestApp;
  const [ona, jonas, petras, rasa] = ['4450301123', '3470702123', '4500303123', '3800202123'].map(lithuanianCode) as [
    string,
    string,
    string,
    string,
  ];
  let last = 0;
  let beforeApproval = 0;
  const post = async (who: keyof LedgerTestApp['tokens'], path: string, body: object, status = 201) => {
    const res = await request(t.base).post(url(path)).set(t.as(who)).send(body).expect(status);
    if (typeof res.body.position === 'number') last = res.body.position;
    return res.body;
  };
  const care = (personalCode: string, occurredOn: string, durationMinutes: number, profile?: object) => ({
    occurredOn,
    service: 'care',
    targetGroup: 'elderly',
    setting: 'home',
    durationMinutes,
    recipient: { personalCode, ...(profile ? { profile } : {}) },
  });

  beforeAll(async () => {
    t = await startLedgerTestApp(); // today: 2024-06-15
    await seedProject(t);
    // Ona: Visaginas in February, Utena in April: one person, Visaginas's (first service).
    const onaFeb = await post(
      'partnerA',
      '/activities/service-deliveries',
      care(ona, '2024-02-10', 30, { sex: 'female', birthYear: 1945 }),
    );
    await post('partnerB', '/activities/service-deliveries', care(ona, '2024-04-05', 90));
    // Jonas: Visaginas in March; later restated to Rasa's visit (wrong person entered).
    const jonasMar = await post(
      'partnerA',
      '/activities/service-deliveries',
      care(jonas, '2024-03-15', 60, { sex: 'male', birthYear: 1947 }),
    );
    // Petras: Utena in March, voided before the lock: never counted.
    const petrasMar = await post('partnerB', '/activities/service-deliveries', care(petras, '2024-03-20', 45));
    await post('partnerB', `/activities/${petrasMar.activityId}/void`, { reason: 'entered twice' });
    await post('auditor', '/periods/2024-Q1/lock', {});
    // Corrections in the locked quarter wait for the agency.
    await post('partnerA', `/activities/service-deliveries/${jonasMar.activityId}/corrections`, {
      ...care(rasa, '2024-03-15', 60, { sex: 'male', birthYear: 1980 }),
      reason: 'the visit was to Rasa, not Jonas',
    });
    await post('partnerA', `/activities/service-deliveries/${onaFeb.activityId}/corrections`, {
      ...care(ona, '2024-02-10', 45),
      reason: 'visit log says 45 minutes',
    });
    beforeApproval = last;
    await post('auditor', `/activities/${jonasMar.activityId}/restatement/approve`, { note: 'checked the log' });
    await post('auditor', `/activities/${onaFeb.activityId}/restatement/decline`, { reason: 'log not provided' });

    // Budget: allocations of 1000.00 and 333.33; spending in the open second quarter.
    await request(t.base)
      .put(url('/allocations/visaginas-spc/staff'))
      .set(t.as('finance'))
      .send({ amount: '1000.00' })
      .expect(201);
    await request(t.base)
      .put(url('/allocations/utena-spc/equipment'))
      .set(t.as('finance'))
      .send({ amount: '333.33' })
      .expect(201);
    const spend = (who: 'partnerA' | 'partnerB', categoryId: string, amount: string, ref: string) =>
      post(who, '/expenditures', { categoryId, amount, occurredOn: '2024-04-30', documentRef: ref, description: 'x' });
    const wages = await spend('partnerA', 'staff', '333.33', 'PAY-4');
    await post('finance', `/expenditures/${wages.expenditureId}/verify`, {
      eligible: '300.00',
      ineligible: '33.33',
      ineligibleReason: 'not-in-approved-budget',
    });
    const cent = await spend('partnerA', 'staff', '0.01', 'PAY-5');
    await post('finance', `/expenditures/${cent.expenditureId}/verify`, {
      eligible: '0.00',
      ineligible: '0.01',
      ineligibleReason: 'not-in-approved-budget',
    });
    await spend('partnerB', 'equipment', '333.34', 'INV-9'); // pending, one cent over the allocation
    const dropped = await spend('partnerA', 'staff', '100.00', 'PAY-6');
    await post('partnerA', `/expenditures/${dropped.expenditureId}/void`, { reason: 'paid from another grant' });
  }, 30_000);
  afterAll(() => t.close());

  const get = async (path: string, who: keyof LedgerTestApp['tokens'] = 'auditor') =>
    (await request(t.base).get(url(path)).set(t.as(who)).expect(200)).body;

  it('progress: Ona once for Visaginas, Rasa instead of Jonas, Petras not at all', async () => {
    const p = await get(`/progress?position=${last}`);
    expect(p.personsReached).toBe(2);
    expect(p.byPartner).toEqual({ 'visaginas-spc': 2 });
    expect(p.newByMonth).toEqual({ '2024-02': 1, '2024-03': 1 });
    expect(p.bySex).toEqual({ female: 1, male: 1, 'non-binary': 0, unknown: 0 });
    // Ona 79 in 2024 (55 and over); Rasa 44 (no ESF+ band).
    expect(p.byAgeBand).toEqual({ 'under-18': 0, '18-29': 0, '55-plus': 1, other: 1, unknown: 0 });
  });

  it('as of before the approval, Jonas still counts: the report of that day is reproduced', async () => {
    const p = await get(`/progress?asOf=${beforeApproval}`);
    expect(p.personsReached).toBe(2);
    expect(p.byAgeBand).toMatchObject({ '55-plus': 2, other: 0 });
    expect(p.position).toBe(beforeApproval);
  });

  it('volumes: three live services; the declined restatement changes no minutes', async () => {
    const v = await get(`/volumes?position=${last}`);
    // 30 (Ona, Feb; 45 declined) + 90 (Ona, Apr) + 60 (Rasa, Mar) = 180 minutes = 3 hours; Petras voided.
    expect(v.services).toEqual([{ service: 'care', setting: 'home', count: 3, hours: 3 }]);
  });

  it('budget: every line and total to the cent, the over-spent line flagged, reconciled', async () => {
    const b = await get(`/budget?position=${last}`, 'finance');
    expect(b.lines).toEqual([
      // 333.34 pending against 333.33: over by one cent.
      {
        partnerId: 'utena-spc',
        categoryId: 'equipment',
        allocated: '333.33',
        declared: '333.34',
        eligible: '0.00',
        ineligible: '0.00',
        pending: '333.34',
        remaining: '-0.01',
        overSpent: true,
      },
      // 333.33 + 0.01 declared (100.00 voided); 300.00 eligible; 33.33 + 0.01 ineligible.
      {
        partnerId: 'visaginas-spc',
        categoryId: 'staff',
        allocated: '1000.00',
        declared: '333.34',
        eligible: '300.00',
        ineligible: '33.34',
        pending: '0.00',
        remaining: '700.00',
        overSpent: false,
      },
    ]);
    expect(b.total).toEqual({
      allocated: '1333.33',
      declared: '666.68',
      eligible: '300.00',
      ineligible: '33.34',
      pending: '333.34',
      remaining: '699.99',
      unallocated: '43938878.67',
    });
    expect(b.shares).toEqual({ esfPlus: '255.00', national: '45.00' });
    expect(b.flags).toEqual({ overAllocated: false, overSpentLines: 1 });
    expect(b.reconciliation).toEqual({ ok: true, differences: [] });
    expect(b.spending.burn.find((m: { month: string }) => m.month === '2024-04')).toMatchObject({
      declared: '666.68',
      eligible: '300.00',
    });
  });
});
