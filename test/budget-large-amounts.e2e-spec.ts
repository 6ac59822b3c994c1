import request from 'supertest';
import { REFERENCE, seedProject, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';

/** Decimal strings ↔ BigInt cents, written here apart from the ledger's own Money code. */
const cents = (text: string): bigint => BigInt(text.replace('.', ''));
const money = (c: bigint): string => {
  const abs = c < 0n ? -c : c;
  return `${c < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
};
const MONEY_TEXT = /^-?(0|[1-9]\d*)\.\d{2}$/;

const MONEY_KEYS = new Set([
  ...['envelope', 'allocated', 'declared', 'eligible', 'ineligible', 'pending', 'remaining', 'unallocated'],
  ...['esfPlus', 'national', 'cumulativeDeclared', 'monthlyPace', 'forecastAtEnd', 'forecastUnspent'],
]);

/** Every leaf of an answer as [path, key, value]. */
function leaves(value: unknown, path = ''): [string, string, unknown][] {
  if (value === null || typeof value !== 'object') return [[path, path.split(/[.[]/).at(-1)!, value]];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, `${path}.${k}`));
}

describe('budget sums past 2^53 cents over HTTP: exact decimal strings, never a 500', () => {
  const BIG = 'BIG-1';
  const ENVELOPE = '9999999999999.99';
  const big = (path: string) => `/api/v1/projects/${BIG}${path}`;
  let t: LedgerTestApp;
  let lastPosition = 0;
  /** What the test declared, per line, month and partner, summed with BigInt. */
  const declared: { partner: string; category: string; month: string; amount: bigint; eligible: bigint | null }[] = [];

  beforeAll(async () => {
    t = await startLedgerTestApp();
    await request(t.base)
      .post('/api/v1/projects')
      .set(t.as('admin'))
      .send({ ...REFERENCE, code: BIG, envelope: ENVELOPE })
      .expect(201);
    await request(t.base)
      .post(big('/partners'))
      .set(t.as('admin'))
      .send({ id: 'utena-spc', name: 'Utenos SPC', municipality: 'Utena', joinedOn: '2023-02-01' })
      .expect(201);
    await request(t.base)
      .put(big('/allocations/visaginas-spc/staff'))
      .set(t.as('finance'))
      .send({ amount: '9999999999000.01' })
      .expect(201);
    // 40 declarations at or just under the largest amount the project can hold: the sums pass
    // 2^53 cents (9 007 199 254 740 992) four times over.
    const who = ['partnerA', 'partnerB'] as const;
    const partnerIds = ['visaginas-spc', 'utena-spc'];
    const categories = ['staff', 'equipment', 'services'];
    for (let i = 0; i < 40; i++) {
      const amount = i % 5 === 0 ? ENVELOPE : money(cents(ENVELOPE) - BigInt(i * 7 + 1));
      const occurredOn = i % 2 ? '2024-04-17' : '2024-05-10';
      const res = await request(t.base)
        .post(big('/expenditures'))
        .set(t.as(who[i % 2]!))
        .send({ categoryId: categories[i % 3], amount, occurredOn, documentRef: `INV-${i}`, description: 'cost' })
        .expect(201);
      lastPosition = res.body.position;
      let eligible: bigint | null = null;
      if (i % 4 === 0) {
        // Finance splits it with an odd cent on each side.
        eligible = cents(amount) - 99n;
        const v = await request(t.base)
          .post(big(`/expenditures/${res.body.expenditureId}/verify`))
          .set(t.as('finance'))
          .send({ eligible: money(eligible), ineligible: '0.99', ineligibleReason: 'not-in-approved-budget' })
          .expect(201);
        lastPosition = v.body.position;
      }
      declared.push({
        partner: partnerIds[i % 2]!,
        category: categories[i % 3]!,
        month: occurredOn.slice(0, 7),
        amount: cents(amount),
        eligible,
      });
    }
  });
  afterAll(() => t.close());

  it('answers 200 with every line, partner, month and total summed exactly', async () => {
    const res = await request(t.base)
      .get(big(`/budget?position=${lastPosition}`))
      .set(t.as('finance'));
    expect(res.status).toBe(200);
    const body = res.body;
    const sum = (rows: typeof declared, f: (r: (typeof declared)[number]) => bigint) =>
      rows.reduce((a, r) => a + f(r), 0n);
    const declaredOf = (rows: typeof declared) => sum(rows, (r) => r.amount);
    const eligibleOf = (rows: typeof declared) => sum(rows, (r) => r.eligible ?? 0n);
    const ineligibleOf = (rows: typeof declared) =>
      sum(rows, (r) => (r.eligible === null ? 0n : r.amount - r.eligible));
    const pendingOf = (rows: typeof declared) => sum(rows, (r) => (r.eligible === null ? r.amount : 0n));

    const total = declaredOf(declared);
    expect(total).toBeGreaterThan(4n * 2n ** 53n);
    expect(body.total).toEqual({
      allocated: '9999999999000.01',
      declared: money(total),
      eligible: money(eligibleOf(declared)),
      ineligible: money(ineligibleOf(declared)),
      pending: money(pendingOf(declared)),
      remaining: money(cents('9999999999000.01') - eligibleOf(declared) - pendingOf(declared)),
      unallocated: money(cents(ENVELOPE) - cents('9999999999000.01')),
    });
    for (const line of body.lines as { partnerId: string; categoryId: string; declared: string }[]) {
      const rows = declared.filter((r) => r.partner === line.partnerId && r.category === line.categoryId);
      expect(line).toMatchObject({
        declared: money(declaredOf(rows)),
        eligible: money(eligibleOf(rows)),
        ineligible: money(ineligibleOf(rows)),
        pending: money(pendingOf(rows)),
      });
    }
    expect(body.lines).toHaveLength(6);
    for (const partner of ['visaginas-spc', 'utena-spc']) {
      const rows = declared.filter((r) => r.partner === partner);
      expect(body.byPartner[partner]).toMatchObject({
        declared: money(declaredOf(rows)),
        eligible: money(eligibleOf(rows)),
      });
    }
    // The ESF+ and national shares add up to the eligible total to the cent.
    expect(cents(body.shares.esfPlus) + cents(body.shares.national)).toBe(eligibleOf(declared));
    // The monthly burn: each month exact, the running total ending on the declared total.
    const burn = body.spending.burn as { month: string; declared: string; cumulativeDeclared: string }[];
    for (const month of ['2024-04', '2024-05']) {
      expect(burn.find((p) => p.month === month)?.declared).toBe(
        money(declaredOf(declared.filter((r) => r.month === month))),
      );
    }
    expect(burn.at(-1)!.cumulativeDeclared).toBe(money(total));
    expect(body.flags).toEqual({ overAllocated: false, overSpentLines: 6 });
    expect(body.reconciliation).toEqual({ ok: true, differences: [] });
    // No amount anywhere in the answer is a JSON number (a float past 2^53) or a rounded string.
    const amounts = leaves(body).filter(([, key]) => MONEY_KEYS.has(key));
    expect(amounts.length).toBeGreaterThan(100);
    for (const [path, , value] of amounts) expect([path, value]).toEqual([path, expect.stringMatching(MONEY_TEXT)]);
  });

  it('exports the same exact sums as CSV', async () => {
    const res = await request(t.base)
      .get(big(`/budget?format=csv&position=${lastPosition}`))
      .set(t.as('finance'))
      .expect(200);
    const total = res.text.split('\n').find((l) => l.startsWith('total,'))!;
    expect(total.split(',')[5]).toBe(money(declared.reduce((a, r) => a + r.amount, 0n)));
  });
});

describe('an amount over the project envelope', () => {
  let t: LedgerTestApp;
  const over = '43940212.01'; // the reference envelope is 43940212.00
  const values = (amount: string) => ({
    categoryId: 'staff',
    amount,
    occurredOn: '2024-05-10',
    documentRef: 'INV-1',
    description: 'cost',
  });
  beforeAll(async () => {
    t = await startLedgerTestApp();
    await seedProject(t);
  });
  afterAll(() => t.close());

  const eventCount = async () => (await t.store.readAll()).length;

  it('is refused when declared, with 422 naming the field and the rule, and writes nothing', async () => {
    const before = await eventCount();
    const res = await request(t.base).post(url('/expenditures')).set(t.as('partnerA')).send(values(over)).expect(422);
    expect(res.body.issues).toEqual([
      expect.objectContaining({
        field: 'amount',
        rule: 'within-envelope',
        message: expect.stringContaining('43940212.00'),
      }),
    ]);
    expect(await eventCount()).toBe(before);
    // The whole envelope is still a valid amount.
    await request(t.base).post(url('/expenditures')).set(t.as('partnerA')).send(values('43940212.00')).expect(201);
  });

  it('is refused in a correction, and writes nothing', async () => {
    const declared = await request(t.base)
      .post(url('/expenditures'))
      .set(t.as('partnerA'))
      .send(values('10.00'))
      .expect(201);
    const before = await eventCount();
    const res = await request(t.base)
      .post(url(`/expenditures/${declared.body.expenditureId}/corrections`))
      .set(t.as('partnerA'))
      .send({ ...values(over), reason: 'wrong amount' })
      .expect(422);
    expect(res.body.issues).toEqual([expect.objectContaining({ field: 'amount', rule: 'within-envelope' })]);
    expect(await eventCount()).toBe(before);
  });

  it('is refused as an allocation, and writes nothing', async () => {
    const before = await eventCount();
    const res = await request(t.base)
      .put(url('/allocations/visaginas-spc/staff'))
      .set(t.as('finance'))
      .send({ amount: over })
      .expect(422);
    expect(res.body.issues).toEqual([expect.objectContaining({ field: 'amount', rule: 'within-envelope' })]);
    expect(await eventCount()).toBe(before);
  });
});
