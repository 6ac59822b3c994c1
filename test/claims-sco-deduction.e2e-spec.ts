// An SCO amount that fell below what a claim carried is taken back by the next claim (issue #18).
// Figures by hand: Visaginas's verified home care in 2024-Q2 is 90 + 30 minutes = 2 h x 24.65 = 49.30;
// 15 % of its verified staff cost of 1,000.01 is 150.0015 -> 150.00. The Q2 claim: 1,000.01 + 49.30 +
// 150.00 = 1,199.31, ESF+ 85 % = 1,019.4135 -> 1,019.41, national 179.90. Then the 30-minute visit is
// voided: home care up to Q3 is 90 minutes = 36.975 -> 36.98, so the Q3 claim carries 36.98 - 49.30
// = -12.32 for it. A Q3 staff cost of 200.00 is verified: 15 % of 1,200.01 = 180.0015 -> 180.00, of
// which Q2 carried 150.00, so +30.00. Q3 claim: 200.00 - 12.32 + 30.00 = 217.68, ESF+ 85 % = 185.028
// -> 185.03, national 32.65. Over both claims home care is 49.30 - 12.32 = 36.98, the budget's amount.
import request from 'supertest';
import { lithuanianCode, REFERENCE, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';

const SCO = {
  unitCosts: [
    {
      id: 'home-care-hour',
      title: 'Valanda priežiūros namuose',
      categoryId: 'services',
      rate: '24.65',
      volume: 'service-hours',
      service: 'care',
      setting: 'home',
    },
  ],
  flatRates: [
    {
      id: 'indirect-15',
      title: 'Netiesioginės išlaidos',
      categoryId: 'indirect',
      percent: '15.00',
      baseCategories: ['staff'],
    },
  ],
};
const CARE = 'sco:home-care-hour:visaginas-spc';
const INDIRECT = 'sco:indirect-15:visaginas-spc';

type Line = { expenditureId: string; eligible: string; occurredOn: string };

describe('a fallen SCO amount is taken back by a negative line of the next claim', () => {
  let t: LedgerTestApp;
  let q2 = '';
  let q3 = '';
  let voidable = '';
  let staffQ3 = '';

  const post = async (path: string, body: object, who: 'finance' | 'partnerA' | 'auditor' = 'finance', status = 201) =>
    (await request(t.base).post(url(path)).set(t.as(who)).send(body).expect(status)).body;
  const get = async (path: string) => (await request(t.base).get(url(path)).set(t.as('finance')).expect(200)).body;
  const visit = async (occurredOn: string, minutes: number, n: string) => {
    const { activityId } = await post(
      '/activities/service-deliveries',
      {
        occurredOn,
        service: 'care',
        targetGroup: 'elderly',
        setting: 'home',
        durationMinutes: minutes,
        recipient: { personalCode: lithuanianCode(`3400101${n}`) },
      },
      'partnerA',
    );
    await post(`/activities/${activityId}/verify`, {}, 'auditor');
    return activityId as string;
  };
  const staffCost = async (amount: string, occurredOn: string) => {
    const { expenditureId } = await post(
      '/expenditures',
      { categoryId: 'staff', amount, occurredOn, documentRef: `SAL-${occurredOn}`, description: 'pay' },
      'partnerA',
    );
    await post(`/expenditures/${expenditureId}/verify`, { eligible: amount, ineligible: '0.00' });
    return expenditureId as string;
  };

  beforeAll(async () => {
    t = await startLedgerTestApp(new Date('2024-10-10T10:00:00Z'));
    await request(t.base)
      .post('/api/v1/projects')
      .set(t.as('admin'))
      .send({ ...REFERENCE, simplifiedCosts: SCO })
      .expect(201);
    await visit('2024-05-06', 90, '001');
    voidable = await visit('2024-06-10', 30, '002');
    await staffCost('1000.01', '2024-05-10');
  });
  afterAll(() => t.close());

  it('the Q2 claim carries 49.30 of home care; voiding a visit after leaves it as it was', async () => {
    q2 = (await post('/claims', { period: '2024-Q2' })).claimId;
    const before = await get(`/claims/${q2}`);
    expect(before.lines.map((l: Line) => [l.expenditureId, l.eligible])).toEqual([
      [expect.any(String), '1000.01'],
      [CARE, '49.30'],
      [INDIRECT, '150.00'],
    ]);
    expect(before).toMatchObject({ total: '1199.31', shares: { esfPlus: '1019.41', national: '179.90' } });
    await post(`/activities/${voidable}/void`, { reason: 'entered twice' }, 'partnerA');
    expect(await get(`/claims/${q2}`)).toEqual(before);
  });

  it('the Q3 claim takes back 12.32 of home care beside what grew: total = lines = partners, shares to the cent', async () => {
    staffQ3 = await staffCost('200.00', '2024-08-05');
    q3 = (await post('/claims', { period: '2024-Q3' })).claimId;
    const claim = await get(`/claims/${q3}`);
    expect(claim.lines.map((l: Line) => [l.expenditureId, l.eligible, l.occurredOn])).toEqual([
      [staffQ3, '200.00', '2024-08-05'],
      [CARE, '-12.32', '2024-09-30'],
      [INDIRECT, '30.00', '2024-09-30'],
    ]);
    expect(claim.lines[1].sco).toEqual({
      scoId: 'home-care-hour',
      type: 'unit-cost',
      records: 1,
      upto: '36.98',
      earlier: '49.30',
    });
    expect(claim).toMatchObject({
      total: '217.68',
      shares: { esfPlus: '185.03', national: '32.65' },
      byPartner: { 'visaginas-spc': { total: '217.68', esfPlus: '185.03', national: '32.65' } },
    });
    // Each amount is now claimed exactly: nothing is left for Q4.
    expect((await post('/claims', { period: '2024-Q4' }, 'finance', 409)).message).toMatch(/nothing|no verified/);
  });

  it('the managing authority takes the deduction as it stands; the payment nets it; the budget reconciles to the cent', async () => {
    await post(`/claims/${q3}/submit`, { submittedOn: '2024-10-10' });
    const refused = await post(
      `/claims/${q3}/decision`,
      {
        decidedOn: '2024-10-10',
        lines: [{ expenditureId: CARE, outcome: 'cut', cut: '1.00', reasonCode: 'calculation-error' }],
      },
      'finance',
      422,
    );
    expect(refused.issues).toEqual([
      expect.objectContaining({ field: 'lines[0].outcome', rule: 'deduction-accepted' }),
    ]);
    await post(`/claims/${q3}/decision`, { decidedOn: '2024-10-10', total: { outcome: 'accepted' } });
    await post(`/claims/${q3}/reimbursements`, { amount: '217.69', paidOn: '2024-10-10' }, 'finance', 422);
    await post(`/claims/${q3}/reimbursements`, { amount: '217.68', paidOn: '2024-10-10' });
    const budget = await get(`/budget?position=${await t.store.headPosition()}`);
    // Claimed: 1,199.31 (Q2, undecided) + 217.68 (Q3, accepted and paid in full).
    expect(budget.claims.total).toEqual({
      claimed: '1416.99',
      accepted: '217.68',
      reimbursed: '217.68',
      outstanding: '0.00',
    });
    expect(
      budget.claims.lines.map((l: { categoryId: string; claimed: string; accepted: string; reimbursed: string }) => [
        l.categoryId,
        l.claimed,
        l.accepted,
        l.reimbursed,
      ]),
    ).toEqual([
      ['indirect', '180.00', '30.00', '30.00'],
      ['services', '36.98', '-12.32', '-12.32'],
      ['staff', '1200.01', '200.00', '200.00'],
    ]);
    // Over the claims, each SCO amount equals the budget's, to the cent.
    const amounts = Object.fromEntries(
      budget.simplifiedCosts.lines.map((l: { scoId: string; amount: string }) => [l.scoId, l.amount]),
    );
    expect(amounts).toEqual({ 'home-care-hour': '36.98', 'indirect-15': '180.00' });
  });

  it('the budget CSV carries the same claim figures on its line and total rows', async () => {
    const csv = (
      await request(t.base)
        .get(url(`/budget?format=csv&position=${await t.store.headPosition()}`))
        .set(t.as('finance'))
        .expect(200)
    ).text
      .trim()
      .split('\n');
    expect(csv[0]).toBe(
      'row,partner,category,month,allocated,declared,eligible,ineligible,pending,remaining,over_spent,claimed,accepted,reimbursed,outstanding',
    );
    const claimCells = (row: string) => row.split(',').slice(11).join(',');
    const line = (category: string) => csv.find((r) => r.startsWith(`line,visaginas-spc,${category},`))!;
    expect(claimCells(line('indirect'))).toBe('180.00,30.00,30.00,0.00');
    expect(claimCells(line('services'))).toBe('36.98,-12.32,-12.32,0.00');
    expect(claimCells(line('staff'))).toBe('1200.01,200.00,200.00,0.00');
    // Services were never allocated nor spent on: their claim figures get a line row with empty budget cells.
    expect(line('services')).toBe('line,visaginas-spc,services,,,,,,,,,36.98,-12.32,-12.32,0.00');
    expect(claimCells(csv.find((r) => r.startsWith('total,'))!)).toBe('1416.99,217.68,217.68,0.00');
    // The line rows' claim columns sum to the total row's.
    const lines = csv.filter((r) => r.startsWith('line,'));
    const cents = (s: string) => Math.round(Number(s) * 100);
    expect(lines.reduce((a, r) => a + cents(r.split(',')[11]!), 0)).toBe(141_699);
  });
});
