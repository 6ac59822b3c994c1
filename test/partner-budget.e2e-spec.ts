// Issue #18, items 4 and 7: each partner's own co-financing split (its own contribution included,
// the project's split when the definition gives none), and a partner reading its own budget,
// never another's. Figures by hand below.
import request from 'supertest';
import { REFERENCE, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';

type Who = 'admin' | 'auditor' | 'finance' | 'partnerA' | 'partnerB';

describe("partners' own budget and co-financing", () => {
  let t: LedgerTestApp;
  let last = 0;
  const send = async (who: Who, method: 'post' | 'put', path: string, body: object) => {
    const res = await request(t.base)
      [method](path.startsWith('/api') ? path : url(path))
      .set(t.as(who))
      .send(body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    last = res.body.position ?? last;
    return res.body;
  };
  const get = (who: Who, path: string) =>
    request(t.base)
      .get(url(`${path}${path.includes('?') ? '&' : '?'}position=${last}`))
      .set(t.as(who));
  const spend = async (who: 'partnerA' | 'partnerB', amount: string, eligible: string, ineligible: string) => {
    const { expenditureId } = await send(who, 'post', '/expenditures', {
      categoryId: 'staff',
      amount,
      occurredOn: '2024-05-10',
      documentRef: `INV-${amount}`,
      description: 'salaries',
    });
    await send('finance', 'post', `/expenditures/${expenditureId}/verify`, {
      eligible,
      ineligible,
      ...(ineligible !== '0.00' ? { ineligibleReason: 'not-paid' } : {}),
    });
  };

  beforeAll(async () => {
    t = await startLedgerTestApp();
    const definition = {
      ...REFERENCE,
      partners: [{ ...REFERENCE.partners[0], coFinancing: { esfPlusBp: 8000, nationalBp: 1500, ownBp: 500 } }],
    };
    await send('admin', 'post', '/api/v1/projects', definition);
    await send('admin', 'post', '/partners', {
      id: 'utena-spc',
      name: 'Utenos rajono socialinių paslaugų centras',
      municipality: 'Utena',
      joinedOn: '2023-02-01',
    });
    await send('finance', 'put', '/allocations/visaginas-spc/staff', { amount: '1000.00' });
    await send('finance', 'put', '/allocations/utena-spc/staff', { amount: '500.00' });
    await spend('partnerA', '333.33', '300.00', '33.33');
    await spend('partnerB', '100.01', '100.01', '0.00');
  });
  afterAll(() => t.close());

  it("refuses a partner split that is not 100 %, naming the partner's field", async () => {
    const bad = {
      ...REFERENCE,
      code: '07-003-P-0002',
      partners: [{ ...REFERENCE.partners[0], coFinancing: { esfPlusBp: 8000, nationalBp: 1500, ownBp: 400 } }],
    };
    const res = await request(t.base).post('/api/v1/projects').set(t.as('admin')).send(bad);
    expect(res.status).toBe(422);
    expect(res.body.issues).toEqual([
      expect.objectContaining({ field: 'partners[0].coFinancing', rule: 'sum-100-percent' }),
    ]);
  });

  it('lists a partner registered after the project among its partners, with its name', async () => {
    const res = await request(t.base).get(url('')).set(t.as('auditor'));
    expect(res.status).toBe(200);
    expect(res.body.partners.map((p: { id: string; name: string }) => [p.id, p.name])).toEqual([
      [REFERENCE.partners[0]!.id, REFERENCE.partners[0]!.name],
      ['utena-spc', 'Utenos rajono socialinių paslaugų centras'],
    ]);
  });

  it('a partner reads its own allocation, declared, eligible and remaining, and its own split', async () => {
    const res = await get('partnerA', '/budget').expect(200);
    expect(res.body.partnerId).toBe('visaginas-spc');
    expect(res.body.lines).toEqual([
      expect.objectContaining({
        partnerId: 'visaginas-spc',
        categoryId: 'staff',
        allocated: '1000.00',
        declared: '333.33',
        eligible: '300.00',
        ineligible: '33.33',
        pending: '0.00',
        remaining: '700.00',
      }),
    ]);
    // 300.00 at 80 % / 15 % / 5 %: 240.00 + 45.00 + 15.00.
    expect(res.body.partnerShares).toEqual({
      'visaginas-spc': {
        esfPlusBp: 8000,
        nationalBp: 1500,
        ownBp: 500,
        esfPlus: '240.00',
        national: '45.00',
        own: '15.00',
      },
    });
    // Its own reconciliation: nothing of the project's totals, nothing of Utena.
    expect(res.body.reconciliation).toEqual({ ok: true, differences: [] });
    expect(JSON.stringify(res.body)).not.toContain('utena-spc');
  });

  it("finance sees every partner's split: Utena at the project's 85 % / 15 %, no own part", async () => {
    const res = await get('finance', '/budget').expect(200);
    // 100.01 at 85 % / 15 %: 85.0085 + 15.0015, the cent left over to the larger remainder: 85.01 + 15.00.
    expect(res.body.partnerShares['utena-spc']).toEqual({
      esfPlusBp: 8500,
      nationalBp: 1500,
      ownBp: 0,
      esfPlus: '85.01',
      national: '15.00',
      own: '0.00',
    });
    expect(res.body.partnerShares['visaginas-spc']).toMatchObject({ own: '15.00' });
    const dated = await get('finance', '/budget?from=2024-05-01&to=2024-05-31').expect(200);
    expect(dated.body.partnerShares['visaginas-spc']).toMatchObject({ esfPlus: '240.00', own: '15.00' });
  });
});
