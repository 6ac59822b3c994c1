import request from 'supertest';
import { seedProject, startLedgerTestApp, type LedgerTestApp, url } from './support/ledger-test-app';

describe('budget read model over HTTP, checked against hand-computed figures', () => {
  let t: LedgerTestApp;
  const declare = async (who: 'partnerA' | 'partnerB', categoryId: string, amount: string) =>
    (
      await request(t.base)
        .post(url('/expenditures'))
        .set(t.as(who))
        .send({ categoryId, amount, occurredOn: '2024-05-10', documentRef: `INV-${amount}`, description: 'cost' })
        .expect(201)
    ).body.expenditureId as string;
  const verify = (id: string, eligible: string, ineligible: string) =>
    request(t.base)
      .post(url(`/expenditures/${id}/verify`))
      .set(t.as('finance'))
      .send({ eligible, ineligible, ...(ineligible !== '0.00' ? { ineligibleReason: 'not-in-approved-budget' } : {}) })
      .expect(201);

  let lastPosition = 0;
  beforeAll(async () => {
    t = await startLedgerTestApp();
    await seedProject(t);
    for (const [partner, category, amount] of [
      ['visaginas-spc', 'equipment', '1000.01'],
      ['visaginas-spc', 'staff', '500.00'],
      ['utena-spc', 'equipment', '250.50'],
    ]) {
      await request(t.base)
        .put(url(`/allocations/${partner}/${category}`))
        .set(t.as('finance'))
        .send({ amount })
        .expect(201);
    }
    await verify(await declare('partnerA', 'equipment', '333.33'), '300.00', '33.33');
    await declare('partnerA', 'equipment', '333.34'); // pending
    const voided = await declare('partnerA', 'staff', '0.01');
    await request(t.base)
      .post(url(`/expenditures/${voided}/void`))
      .set(t.as('partnerA'))
      .send({ reason: 'test entry' })
      .expect(201);
    const corrected = await declare('partnerA', 'staff', '100.10');
    await request(t.base)
      .post(url(`/expenditures/${corrected}/corrections`))
      .set(t.as('partnerA'))
      .send({
        categoryId: 'staff',
        amount: '100.11',
        occurredOn: '2024-05-10',
        documentRef: 'INV-100.10',
        description: 'cost',
        reason: 'typo in cents',
      })
      .expect(201);
    await verify(corrected, '100.11', '0.00');
    await verify(await declare('partnerB', 'equipment', '300.00'), '250.50', '49.50');
    const last = await request(t.base)
      .post(url('/expenditures'))
      .set(t.as('partnerB'))
      .send({
        categoryId: 'equipment',
        amount: '0.99',
        occurredOn: '2024-05-11',
        documentRef: 'INV-last',
        description: 'cost',
      })
      .expect(201);
    lastPosition = last.body.position;
  });
  afterAll(() => t.close());

  it('every line, total, share and flag to the cent', async () => {
    const res = await request(t.base)
      .get(url(`/budget?position=${lastPosition}`))
      .set(t.as('finance'))
      .expect(200);
    expect(res.body.lines).toEqual([
      {
        partnerId: 'utena-spc',
        categoryId: 'equipment',
        allocated: '250.50',
        declared: '300.99',
        eligible: '250.50',
        ineligible: '49.50',
        pending: '0.99',
        remaining: '-0.99',
        overSpent: true,
      },
      {
        partnerId: 'visaginas-spc',
        categoryId: 'equipment',
        allocated: '1000.01',
        declared: '666.67',
        eligible: '300.00',
        ineligible: '33.33',
        pending: '333.34',
        remaining: '366.67',
        overSpent: false,
      },
      {
        partnerId: 'visaginas-spc',
        categoryId: 'staff',
        allocated: '500.00',
        declared: '100.11',
        eligible: '100.11',
        ineligible: '0.00',
        pending: '0.00',
        remaining: '399.89',
        overSpent: false,
      },
    ]);
    expect(res.body.total).toEqual({
      allocated: '1750.51',
      declared: '1067.77',
      eligible: '650.61',
      ineligible: '82.83',
      pending: '334.33',
      remaining: '765.57',
      unallocated: '43938461.49',
    });
    expect(res.body.envelope).toBe('43940212.00');
    // 650.61 at 85 % / 15 %: 553.0185 and 97.5915 → 553.02 + 97.59, exactly 650.61.
    expect(res.body.shares).toEqual({ esfPlus: '553.02', national: '97.59' });
    expect(res.body.byPartner['visaginas-spc']).toMatchObject({
      allocated: '1500.01',
      declared: '766.78',
      eligible: '400.11',
    });
    expect(res.body.flags).toEqual({ overAllocated: false, overSpentLines: 1 });
    expect(res.body.reconciliation).toEqual({ ok: true, differences: [] });
  });

  it('exports the same figures as CSV, one row per line and a total', async () => {
    const res = await request(t.base)
      .get(url(`/budget?format=csv&position=${lastPosition}`))
      .set(t.as('finance'))
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="budget-07-003-P-0001-at-\d+\.csv"/);
    const lines = res.text.trim().split('\n');
    // From December 2022 to June 2024: 19 months of burn after the lines; all spending is in May 2024.
    expect(lines.filter((l) => l.startsWith('month,'))).toHaveLength(19);
    expect(lines).toContain('month,,,2024-05,,1067.77,650.61,,,,,,,,');
    expect(lines.filter((l) => !l.startsWith('month,'))).toEqual([
      'row,partner,category,month,allocated,declared,eligible,ineligible,pending,remaining,over_spent,claimed,accepted,reimbursed,outstanding',
      'line,utena-spc,equipment,,250.50,300.99,250.50,49.50,0.99,-0.99,true,0.00,0.00,0.00,0.00',
      'line,visaginas-spc,equipment,,1000.01,666.67,300.00,33.33,333.34,366.67,false,0.00,0.00,0.00,0.00',
      'line,visaginas-spc,staff,,500.00,100.11,100.11,0.00,0.00,399.89,false,0.00,0.00,0.00,0.00',
      'total,,,,1750.51,1067.77,650.61,82.83,334.33,765.57,true,0.00,0.00,0.00,0.00',
    ]);
    const bad = await request(t.base).get(url('/budget?format=xml')).set(t.as('finance')).expect(400);
    expect(bad.body.issues).toEqual([expect.objectContaining({ field: 'format', rule: 'enum' })]);
  });

  // Issue #18 item 7 (was: partners refused with 403): a partner reads its own budget, never another's.
  it('is for finance, the agency and each partner for itself only', async () => {
    await request(t.base).get(url('/budget')).set(t.as('auditor')).expect(200);
    const own = await request(t.base).get(url('/budget')).set(t.as('partnerA')).expect(200);
    expect(own.body.partnerId).toBe('visaginas-spc');
    expect(Object.keys(own.body.byPartner)).toEqual(['visaginas-spc']);
    await request(t.base).get(url('/budget?partnerId=utena-spc')).set(t.as('partnerA')).expect(403);
  });
});
