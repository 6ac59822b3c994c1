import request from 'supertest';
import ExcelJS from 'exceljs';
import { seedProject, startLedgerTestApp, type LedgerTestApp, url } from './support/ledger-test-app';

/**
 * A quarter's payment claim end to end, figures by hand: Visaginas declares 1000.01 (verified
 * 900.01 eligible) and Utena 500.00 (all eligible); the claim for 2024-Q2 carries 1400.01, ESF+
 * 85 % = 1190.0085 -> 1190.01 and national 210.00. The managing authority cuts 100.00 of
 * Visaginas's line (insufficient-evidence): accepted 1300.01; it pays 1000.00, and an advance of
 * 500.00 is cleared by 300.00 against the claim.
 */
describe('payment claims and advances over HTTP', () => {
  let t: LedgerTestApp;
  let a = '';
  let b = '';
  let claimId = '';
  let composedPosition = 0;
  const post = async (
    path: string,
    body: object,
    who: 'finance' | 'partnerA' | 'partnerB' | 'auditor' = 'finance',
    status = 201,
  ) => (await request(t.base).post(url(path)).set(t.as(who)).send(body).expect(status)).body;
  const declare = async (who: 'partnerA' | 'partnerB', amount: string, occurredOn = '2024-05-10') =>
    (
      await post(
        '/expenditures',
        { categoryId: 'equipment', amount, occurredOn, documentRef: `INV-${amount}`, description: 'cost' },
        who,
      )
    ).expenditureId as string;
  const getClaim = async (query = '') =>
    (
      await request(t.base)
        .get(url(`/claims/${claimId}${query}`))
        .set(t.as('auditor'))
        .expect(200)
    ).body;

  beforeAll(async () => {
    t = await startLedgerTestApp();
    await seedProject(t);
    a = await declare('partnerA', '1000.01');
    b = await declare('partnerB', '500.00');
    await post(`/expenditures/${a}/verify`, {
      eligible: '900.01',
      ineligible: '100.00',
      ineligibleReason: 'not-in-approved-budget',
    });
    await post(`/expenditures/${b}/verify`, { eligible: '500.00', ineligible: '0.00' });
    await declare('partnerA', '77.00'); // not verified: no claim takes it
  });
  afterAll(() => t.close());

  it('composes a claim of the verified costs: total = lines = partners, shares to the cent', async () => {
    const composed = await post('/claims', { period: '2024-Q2' });
    claimId = composed.claimId;
    composedPosition = composed.position;
    const claim = await getClaim();
    expect(claim.lines.map((l: { expenditureId: string; eligible: string }) => [l.expenditureId, l.eligible])).toEqual(
      expect.arrayContaining([
        [a, '900.01'],
        [b, '500.00'],
      ]),
    );
    expect(claim.lines).toHaveLength(2);
    expect(claim).toMatchObject({
      status: 'composed',
      period: '2024-Q2',
      total: '1400.01',
      claimed: '1400.01',
      shares: { esfPlus: '1190.01', national: '210.00' },
      byPartner: {
        'visaginas-spc': { total: '900.01', esfPlus: '765.01', national: '135.00' },
        'utena-spc': { total: '500.00', esfPlus: '425.00', national: '75.00' },
      },
    });
  });

  it('never claims a cost twice: a second claim finds nothing; a claimed cost refuses a new verification', async () => {
    const again = await post('/claims', { period: '2024-Q2' }, 'finance', 409);
    expect(again.message).toMatch(/no verified eligible cost awaits a claim/);
    const reverify = await post(
      `/expenditures/${a}/verify`,
      { eligible: '1000.01', ineligible: '0.00' },
      'finance',
      409,
    );
    expect(reverify.message).toMatch(/is in payment claim/);
  });

  it('two claims composed at once for the same costs: one gets them, the other none', async () => {
    const c = await declare('partnerA', '10.00');
    const d = await declare('partnerB', '20.00');
    await post(`/expenditures/${c}/verify`, { eligible: '10.00', ineligible: '0.00' });
    await post(`/expenditures/${d}/verify`, { eligible: '20.00', ineligible: '0.00' });
    const both = await Promise.all(
      [0, 1].map(() => request(t.base).post(url('/claims')).set(t.as('finance')).send({ period: '2024-Q2' })),
    );
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    const won = both.find((r) => r.status === 201)!.body.claimId;
    const list = (await request(t.base).get(url('/claims')).set(t.as('finance')).expect(200)).body.claims;
    expect(list.map((x: { claimId: string }) => x.claimId)).toEqual([claimId, won]);
    // Withdrawn before submission: its costs are free again, and the next claim takes them.
    await post(`/claims/${won}/withdraw`, { reason: 'composed twice by mistake' });
    const next = await post('/claims', { period: '2024-Q2', expenditureIds: [c] });
    const nextClaim = (
      await request(t.base)
        .get(url(`/claims/${next.claimId}`))
        .set(t.as('finance'))
        .expect(200)
    ).body;
    expect(nextClaim.total).toBe('10.00');
  });

  it('submits, records a cut with a reason code, a reimbursement, and clears an advance against it', async () => {
    const composedAt = (await getClaim()).position;
    await post(`/claims/${claimId}/submit`, { submittedOn: '2024-06-15' });
    await post(`/claims/${claimId}/decision`, {
      decidedOn: '2024-06-15',
      lines: [
        {
          expenditureId: a,
          outcome: 'cut',
          cut: '100.00',
          reasonCode: 'insufficient-evidence',
          note: 'no delivery note',
        },
      ],
    });
    await post(`/claims/${claimId}/reimbursements`, { amount: '1000.00', paidOn: '2024-06-15' });
    const paidTooMuch = await post(
      `/claims/${claimId}/reimbursements`,
      { amount: '300.02', paidOn: '2024-06-15' },
      'finance',
      422,
    );
    expect(paidTooMuch.issues).toEqual([expect.objectContaining({ field: 'amount', rule: 'within-accepted' })]);
    const decided = await getClaim();
    // The audit trail: who recorded each step, and the cut with its reason.
    expect(decided.history.map((h: { type: string; actor: { role: string } }) => [h.type, h.actor.role])).toEqual([
      ['ClaimComposed', 'finance-officer'],
      ['ClaimSubmitted', 'finance-officer'],
      ['ClaimDecisionRecorded', 'finance-officer'],
      ['ClaimReimbursed', 'finance-officer'],
    ]);
    expect(decided).toMatchObject({
      status: 'decided',
      claimed: '1400.01',
      accepted: '1300.01',
      reimbursed: '1000.00',
      outstanding: '300.01',
    });
    // As it stood when composed: the same claim, nothing decided.
    expect(await getClaim(`?asOf=${composedAt}`)).toMatchObject({
      status: 'composed',
      accepted: '0.00',
      position: composedAt,
    });

    await post('/advances', { advanceId: 'ADV-2024-01', amount: '500.00', paidOn: '2024-01-15' });
    await post('/advances/ADV-2024-01/clearings', { claimId, amount: '300.00', clearedOn: '2024-06-15' });
    const over = await post(
      '/advances/ADV-2024-01/clearings',
      { claimId, amount: '200.01', clearedOn: '2024-06-15' },
      'finance',
      422,
    );
    expect(over.issues).toEqual([expect.objectContaining({ field: 'amount', rule: 'within-advance' })]);
    const advances = (await request(t.base).get(url('/advances')).set(t.as('auditor')).expect(200)).body;
    expect(advances.total).toEqual({ paid: '500.00', cleared: '300.00', open: '200.00' });
  });

  it('the budget shows claimed, accepted, reimbursed and outstanding per line, by partner and in total, to the cent', async () => {
    const last = await t.store.headPosition();
    const budget = (
      await request(t.base)
        .get(url(`/budget?position=${last}`))
        .set(t.as('finance'))
        .expect(200)
    ).body;
    // Visaginas: 900.01 claimed, 100.00 cut -> 800.01 accepted; Utena: 500.00 accepted. The 1000.00 paid is
    // split by what is unpaid of each line: 1000.00 x 800.01 / 1300.01 = 615.3875... -> 615.39 and 384.61.
    // The third claim (10.00 of Visaginas, composed, not decided) adds 10.00 claimed only.
    expect(budget.claims.lines).toEqual([
      {
        partnerId: 'utena-spc',
        categoryId: 'equipment',
        claimed: '500.00',
        accepted: '500.00',
        reimbursed: '384.61',
        outstanding: '115.39',
      },
      {
        partnerId: 'visaginas-spc',
        categoryId: 'equipment',
        claimed: '910.01',
        accepted: '800.01',
        reimbursed: '615.39',
        outstanding: '184.62',
      },
    ]);
    expect(budget.claims.total).toEqual({
      claimed: '1410.01',
      accepted: '1300.01',
      reimbursed: '1000.00',
      outstanding: '300.01',
    });
    expect(budget.claims.byPartner['visaginas-spc']).toEqual({
      claimed: '910.01',
      accepted: '800.01',
      reimbursed: '615.39',
      outstanding: '184.62',
    });
    // A partner reads its own part of the claims in its own budget, never another's.
    const own = (
      await request(t.base)
        .get(url(`/budget?partnerId=visaginas-spc&position=${last}`))
        .set(t.as('partnerA'))
        .expect(200)
    ).body;
    expect(own.claims.lines.map((l: { partnerId: string }) => l.partnerId)).toEqual(['visaginas-spc']);
    expect(own.claims.total).toEqual({
      claimed: '910.01',
      accepted: '800.01',
      reimbursed: '615.39',
      outstanding: '184.62',
    });
    // As of the first claim's composition: claimed, nothing accepted yet.
    const then = (
      await request(t.base)
        .get(url(`/budget?asOf=${composedPosition}`))
        .set(t.as('finance'))
        .expect(200)
    ).body;
    expect(then.claims.total).toEqual({
      claimed: '1400.01',
      accepted: '0.00',
      reimbursed: '0.00',
      outstanding: '0.00',
    });
  });

  it('exports the claim register as CSV and XLSX with typed cells', async () => {
    const csv = await request(t.base)
      .get(url(`/claims/${claimId}?format=csv`))
      .set(t.as('finance'))
      .expect(200);
    expect(csv.text).toContain(
      `line,${a},visaginas-spc,equipment,2024-05-10,900.01,cut,800.01,100.00,insufficient-evidence,`,
    );
    expect(csv.text).toContain('total,*,1400.01,1190.01,210.00');
    const xlsx = await request(t.base)
      .get(url(`/claims/${claimId}?format=xlsx`))
      .set(t.as('finance'))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body);
    const totals = book.getWorksheet('Sumos')!;
    const last = totals.getRow(totals.rowCount);
    expect([last.getCell(1).value, last.getCell(2).value, last.getCell(3).value]).toEqual(['*', 1400.01, 1190.01]);
  });

  it('refuses partners (403), bad bodies (400 naming the field), floats for money, and dates before the project (422)', async () => {
    // A partner reads its own part of the claims (200, below); composing stays finance's (403).
    await request(t.base).get(url('/claims')).set(t.as('partnerA')).expect(200);
    await post('/claims', { period: '2024-Q2' }, 'partnerA', 403);
    const floaty = await post(
      `/claims/${claimId}/reimbursements`,
      { amount: 1.5, paidOn: '2024-06-15' },
      'finance',
      400,
    );
    expect(JSON.stringify(floaty)).toContain('amount');
    const unknown = await post('/claims', { period: '2024-Q2', extra: 1 }, 'finance', 400);
    expect(JSON.stringify(unknown)).toContain('extra');
    const early = await post('/advances', { advanceId: 'ADV-X', amount: '1.00', paidOn: '2020-01-01' }, 'finance', 422);
    expect(early.issues).toEqual([expect.objectContaining({ field: 'paidOn', rule: 'within-project-period' })]);
  });

  it('a partner reads its own part of a claim: its lines, totals and shares, no history; another partner none of it', async () => {
    const own = (
      await request(t.base)
        .get(url(`/claims/${claimId}`))
        .set(t.as('partnerA'))
        .expect(200)
    ).body;
    expect(own.lines.map((l: { expenditureId: string }) => l.expenditureId)).toEqual([a]);
    // Visaginas's part as the whole claim allots it: 900.01, ESF+ 765.01, national 135.00.
    expect(own).toMatchObject({
      total: '900.01',
      claimed: '900.01',
      accepted: '800.01',
      shares: { esfPlus: '765.01', national: '135.00' },
      byPartner: { 'visaginas-spc': { total: '900.01', esfPlus: '765.01', national: '135.00' } },
      history: [],
      payments: [],
    });
    expect(Object.keys(own.byPartner)).toEqual(['visaginas-spc']);
    const listed = (await request(t.base).get(url('/claims')).set(t.as('partnerB')).expect(200)).body.claims;
    expect(listed.map((c: { claimId: string }) => c.claimId)).toContain(claimId);
    for (const c of listed) expect(Object.keys(c.byPartner)).toEqual(['utena-spc']);
  });
});
