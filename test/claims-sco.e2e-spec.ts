// Simplified cost options in payment claims (issue #18), figures by hand: Visaginas's 90 verified
// minutes of home care in 2024-Q2 at 24.65 an hour are 36.975 -> 36.98; 15 % of its verified staff
// cost of 1,000.01 is 150.0015 -> 150.00. The Q2 claim carries the staff cost and both SCO lines:
// 1,186.99, ESF+ 85 % = 1,008.9415 -> 1,008.94, national 178.05. Then 30 more minutes in Q2 and 60 in
// Q3 are verified: 180 minutes = 3 h x 24.65 = 73.95 up to Q3, of which Q2's claim carried 36.98, so
// the Q3 claim carries 36.97 and the two claims sum to the budget's 73.95 to the cent.
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

type Line = { expenditureId: string; categoryId: string; eligible: string; occurredOn: string; scoAudit?: string };

describe('payment claims carry simplified cost options beside real costs', () => {
  let t: LedgerTestApp;
  let staff = '';
  let q2 = '';
  let q3 = '';
  let firstVisit = '';

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

  beforeAll(async () => {
    t = await startLedgerTestApp(new Date('2024-10-10T10:00:00Z'));
    await request(t.base)
      .post('/api/v1/projects')
      .set(t.as('admin'))
      .send({ ...REFERENCE, simplifiedCosts: SCO })
      .expect(201);
    firstVisit = await visit('2024-05-06', 90, '001');
    staff = (
      await post(
        '/expenditures',
        { categoryId: 'staff', amount: '1000.01', occurredOn: '2024-05-10', documentRef: 'SAL-05', description: 'pay' },
        'partnerA',
      )
    ).expenditureId;
    await post(`/expenditures/${staff}/verify`, { eligible: '1000.01', ineligible: '0.00' });
    await visit('2024-08-05', 60, '002'); // Q3: not in the Q2 claim
  });
  afterAll(() => t.close());

  it('a Q2 claim carries the SCO amounts of Q2 beside the real cost: total = lines = partners, shares to the cent', async () => {
    q2 = (await post('/claims', { period: '2024-Q2' })).claimId;
    const claim = await get(`/claims/${q2}`);
    expect(claim.lines.map((l: Line) => [l.expenditureId, l.categoryId, l.eligible, l.occurredOn])).toEqual([
      [staff, 'staff', '1000.01', '2024-05-10'],
      [CARE, 'services', '36.98', '2024-06-30'],
      [INDIRECT, 'indirect', '150.00', '2024-06-30'],
    ]);
    expect(claim.lines[1].sco).toEqual({
      scoId: 'home-care-hour',
      type: 'unit-cost',
      records: 1,
      upto: '36.98',
      earlier: '0.00',
    });
    expect(claim).toMatchObject({
      total: '1186.99',
      shares: { esfPlus: '1008.94', national: '178.05' },
      byPartner: { 'visaginas-spc': { total: '1186.99', esfPlus: '1008.94', national: '178.05' } },
    });
    // Each SCO amount once: nothing is left to claim for Q2.
    expect((await post('/claims', { period: '2024-Q2' }, 'finance', 409)).message).toMatch(/nothing|no verified/);
  });

  it('the audit trail leads from a claimed SCO line to the activities behind it', async () => {
    const claim = await get(`/claims/${q2}`);
    const care = claim.lines.find((l: Line) => l.expenditureId === CARE) as Line;
    expect(care.scoAudit).toBe('figure=sco&optionId=home-care-hour&partnerId=visaginas-spc&reportedBy=2024-Q2');
    const trail = await get(`/audit?${care.scoAudit}`);
    expect(trail.events.map((e: { streamId: string; type: string }) => [e.streamId, e.type])).toEqual([
      [`activity-${firstVisit}`, 'ServiceDelivered'],
      [`activity-${firstVisit}`, 'ActivityVerified'],
    ]);
    // Without the period: every verified visit, the Q3 one too (not what the Q2 line counts).
    expect((await get(`/audit?figure=sco&optionId=home-care-hour&partnerId=visaginas-spc`)).totalEvents).toBe(4);
    for (const [query, rule] of [
      ['figure=volumes&reportedBy=2024-Q2', 'figure-sco-only'],
      ['figure=sco&optionId=home-care-hour&reportedBy=2024-13', 'reporting-period'],
    ]) {
      const bad = await request(t.base)
        .get(url(`/audit?${query}`))
        .set(t.as('finance'))
        .expect(400);
      expect(bad.body.issues).toEqual([expect.objectContaining({ field: 'reportedBy', rule })]);
    }
  });

  it('a Q3 claim carries only what was verified since: 73.95 up to Q3 less the 36.98 claimed; a withdrawal frees it', async () => {
    await visit('2024-06-10', 30, '003'); // Q2, verified after the Q2 claim
    q3 = (await post('/claims', { period: '2024-Q3' })).claimId;
    const claim = await get(`/claims/${q3}`);
    expect(claim.lines.map((l: Line) => [l.expenditureId, l.eligible])).toEqual([[CARE, '36.97']]);
    expect(claim.lines[0].sco).toMatchObject({ records: 3, upto: '73.95', earlier: '36.98' });
    await post(`/claims/${q3}/withdraw`, { reason: 'recomposed' });
    const again = await get(`/claims/${(await post('/claims', { period: '2024-Q3' })).claimId}`);
    expect(again.lines.map((l: Line) => [l.expenditureId, l.eligible])).toEqual([[CARE, '36.97']]);
    q3 = again.claimId;
  });

  it('the managing authority cuts an SCO line with a reason; the budget and the register include the SCO lines', async () => {
    await post(`/claims/${q2}/submit`, { submittedOn: '2024-10-10' });
    await post(`/claims/${q2}/decision`, {
      decidedOn: '2024-10-10',
      lines: [{ expenditureId: CARE, outcome: 'cut', cut: '6.98', reasonCode: 'calculation-error' }],
    });
    await post(`/claims/${q2}/reimbursements`, { amount: '1180.01', paidOn: '2024-10-10' });
    const budget = await get(`/budget?position=${await t.store.headPosition()}`);
    // Claimed: 1,186.99 (Q2) + 36.97 (Q3); accepted 1,186.99 - 6.98 = 1,180.01, all paid.
    expect(budget.claims.total).toEqual({
      claimed: '1223.96',
      accepted: '1180.01',
      reimbursed: '1180.01',
      outstanding: '0.00',
    });
    expect(
      budget.claims.lines.map((l: { categoryId: string; claimed: string; accepted: string }) => [
        l.categoryId,
        l.claimed,
        l.accepted,
      ]),
    ).toEqual([
      ['indirect', '150.00', '150.00'],
      ['services', '73.95', '30.00'],
      ['staff', '1000.01', '1000.01'],
    ]);
    // The two claims' home care lines sum to the budget's SCO amount, to the cent.
    const care = budget.simplifiedCosts.lines.find((l: { scoId: string }) => l.scoId === 'home-care-hour');
    expect(care.amount).toBe('73.95');
    const csv = (
      await request(t.base)
        .get(url(`/claims/${q2}?format=csv`))
        .set(t.as('finance'))
        .expect(200)
    ).text;
    expect(csv).toContain(
      `line,${CARE},visaginas-spc,services,2024-06-30,36.98,cut,30.00,6.98,calculation-error,30.00,home-care-hour,unit-cost`,
    );
    expect(csv).toContain(`line,${staff},visaginas-spc,staff,2024-05-10,1000.01,accepted,1000.01,0.00,,1000.01,,`);
  });
});
