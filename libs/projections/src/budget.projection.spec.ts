import { projectionHarness } from './projection-harness';
import fc from 'fast-check';
import type { JsonValue } from '@ihl/event-store';
import { MAX_CENTS } from '@ihl/domain';
import { budgetOf, budgetProjection, budgetRecount, spendingBetween } from './budget.projection';

const CODE = 'P-1';
const PARTNERS = ['a', 'b'];
const CATEGORIES = ['staff', 'equipment'];

type Op =
  | { kind: 'declare' | 'correct'; id: number; partner: number; category: number; cents: number; day: number }
  | { kind: 'void'; id: number }
  | { kind: 'verify'; id: number; ineligibleShare: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('declare' as const, 'correct' as const),
    id: fc.nat(5),
    partner: fc.nat(1),
    category: fc.nat(1),
    // Small amounts, and amounts near the largest, whose sums carry from one part to the other.
    cents: fc.oneof(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: MAX_CENTS - 1_000, max: MAX_CENTS })),
    day: fc.nat(700),
  }),
  fc.record({ kind: fc.constant('void' as const), id: fc.nat(5) }),
  fc.record({
    kind: fc.constant('verify' as const),
    id: fc.nat(5),
    ineligibleShare: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
);

const date = (day: number) => new Date(Date.UTC(2023, 0, 1 + day)).toISOString().slice(0, 10);

/** The budget projection after the events the operations stand for. */
function replay(ops: readonly Op[]) {
  const { db, apply: applyTo } = projectionHarness([budgetProjection]);
  const apply = (
    type: string,
    data: Record<string, JsonValue>,
    streamId = `expenditure-${String(data.expenditureId)}`,
  ) => applyTo(streamId, type, data);
  apply(
    'ProjectRegistered',
    {
      definition: { code: CODE, envelopeCents: 1_000_000_00, coFinancing: { esfPlusBp: 8500, nationalBp: 1500 } },
    },
    `project-${CODE}`,
  );
  apply('AllocationSet', { partnerId: 'a', categoryId: 'staff', amountCents: 500_00 }, `project-${CODE}`);
  const amounts = new Map<number, number>();
  for (const o of ops) {
    const expenditureId = `x${o.id}`;
    if (o.kind === 'declare' || o.kind === 'correct') {
      const fields = { categoryId: CATEGORIES[o.category]!, amountCents: o.cents, occurredOn: date(o.day) };
      if (o.kind === 'declare')
        apply('ExpenditureDeclared', {
          expenditureId,
          projectCode: CODE,
          partnerId: PARTNERS[o.partner]!,
          fields,
        });
      else apply('ExpenditureCorrected', { expenditureId, fields });
      if (o.kind === 'declare' && !amounts.has(o.id)) amounts.set(o.id, o.cents);
      if (o.kind === 'correct' && amounts.has(o.id)) amounts.set(o.id, o.cents);
    } else if (o.kind === 'void') {
      apply('ExpenditureVoided', { expenditureId });
    } else if (o.kind === 'verify') {
      const amount = amounts.get(o.id) ?? 0;
      const ineligibleCents = Math.floor(amount * o.ineligibleShare);
      apply('ExpenditureVerified', { expenditureId, eligibleCents: amount - ineligibleCents, ineligibleCents });
    }
  }
  return db;
}

/**
 * The running sums (lines, months, totals) must always equal a recount from the expenditure rows,
 * whatever the order of declarations, corrections, voids and verifications.
 */
describe('budget projection running sums', () => {
  it('equal a recount of every expenditure after any sequence of events', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const db = replay(ops);
        const figures = budgetOf(db, CODE)!;
        const recount = budgetRecount(db, CODE);
        expect(figures.reconciliation).toEqual({ ok: true, differences: [] });
        expect({
          declaredCents: figures.total.declaredCents,
          eligibleCents: figures.total.eligibleCents,
          ineligibleCents: figures.total.ineligibleCents,
          pendingCents: figures.total.pendingCents,
        }).toEqual(recount);
        // Every line and every month, recounted from the rows, too.
        const lineRecount = db
          .prepare(
            `select partner_id as partnerId, category_id as categoryId, sum(amount_cents) as declaredCents,
                    coalesce(sum(eligible_cents), 0) as eligibleCents, coalesce(sum(ineligible_cents), 0) as ineligibleCents,
                    sum(case when eligible_cents is null then amount_cents else 0 end) as pendingCents
             from (select *, cents as amount_cents from records_text where kind = 'expenditure') where voided = 0 group by 1, 2 order by 1, 2`,
          )
          .safeIntegers(true)
          .all();
        // Lines without live spending are there for their allocation only, with nothing declared.
        const key = (l: { partnerId: string; categoryId: string }) => `${l.partnerId}|${l.categoryId}`;
        const spent = new Set((lineRecount as { partnerId: string; categoryId: string }[]).map(key));
        for (const l of figures.lines.filter((x) => !spent.has(key(x))))
          expect([l.allocatedCents > 0n, l.declaredCents, l.eligibleCents, l.pendingCents]).toEqual([true, 0n, 0n, 0n]);
        const linesWithSpending = figures.lines
          .filter((l) => spent.has(key(l)))
          .map(({ partnerId, categoryId, declaredCents, eligibleCents, ineligibleCents, pendingCents }) => ({
            partnerId,
            categoryId,
            declaredCents,
            eligibleCents,
            ineligibleCents,
            pendingCents,
          }));
        expect(linesWithSpending).toEqual(lineRecount);
        const monthRecount = Object.fromEntries(
          (
            db
              .prepare(
                `select substr(occurred_on, 1, 7) as month, sum(amount_cents) as declared, coalesce(sum(eligible_cents), 0) as eligible
                 from (select *, cents as amount_cents from records_text where kind = 'expenditure') where voided = 0 group by 1 having declared != 0 or eligible != 0`,
              )
              .safeIntegers(true)
              .all() as { month: string; declared: bigint; eligible: bigint }[]
          ).map((m) => [m.month, { declaredCents: m.declared, eligibleCents: m.eligible }]),
        );
        expect(figures.byMonth).toEqual(monthRecount);
        const months = Object.values(figures.byMonth);
        expect(months.reduce((a, m) => a + m.declaredCents, 0n)).toBe(recount.declaredCents);
        expect(months.reduce((a, m) => a + m.eligibleCents, 0n)).toBe(recount.eligibleCents);
        db.close();
      }),
      { numRuns: 300 },
    );
  });

  it('stay exact past 2^63 cents, where one SQLite integer would turn into a float', () => {
    const { db, apply } = projectionHarness([budgetProjection]);
    apply(`project-${CODE}`, 'ProjectRegistered', {
      definition: { code: CODE, envelopeCents: MAX_CENTS, coFinancing: { esfPlusBp: 8500, nationalBp: 1500 } },
    });
    const declare = (id: string, amountCents: number, occurredOn = '2024-05-10') =>
      apply(`expenditure-${id}`, 'ExpenditureDeclared', {
        expenditureId: id,
        projectCode: CODE,
        partnerId: 'a',
        fields: { categoryId: 'staff', amountCents, occurredOn },
      });
    // 10 000 declarations of the largest amount: 9 999 999 999 999 990 000 cents > 2^63 - 1.
    const n = 10_000;
    for (let i = 0; i < n; i++) declare(`x${i}`, MAX_CENTS);
    // Two taken back down again (a correction to one cent and a void), one verified with a split.
    apply('expenditure-x0', 'ExpenditureCorrected', {
      expenditureId: 'x0',
      fields: { categoryId: 'staff', amountCents: 1, occurredOn: '2024-04-01' },
    });
    apply('expenditure-x1', 'ExpenditureVoided', { expenditureId: 'x1' });
    apply('expenditure-x2', 'ExpenditureVerified', {
      expenditureId: 'x2',
      eligibleCents: MAX_CENTS - 99,
      ineligibleCents: 99,
    });
    const declared = BigInt(n - 2) * BigInt(MAX_CENTS) + 1n;
    expect(declared).toBeGreaterThan(2n ** 63n);
    const figures = budgetOf(db, CODE)!;
    expect(figures.total).toMatchObject({
      declaredCents: declared,
      eligibleCents: BigInt(MAX_CENTS - 99),
      ineligibleCents: 99n,
      pendingCents: declared - BigInt(MAX_CENTS),
      remainingCents: -(declared - 99n),
    });
    expect(figures.lines).toHaveLength(1);
    expect(figures.lines[0]!.declaredCents).toBe(declared);
    expect(figures.byMonth).toEqual({
      '2024-04': { declaredCents: 1n, eligibleCents: 0n },
      '2024-05': { declaredCents: declared - 1n, eligibleCents: BigInt(MAX_CENTS - 99) },
    });
    expect(figures.reconciliation).toEqual({ ok: true, differences: [] });
    // Dated in May: every one but the corrected one, exact too.
    expect(spendingBetween(db, CODE, { from: '2024-05-01', to: '2024-05-31' }).lines).toEqual([
      {
        partnerId: 'a',
        categoryId: 'staff',
        declaredCents: declared - 1n,
        eligibleCents: BigInt(MAX_CENTS - 99),
        ineligibleCents: 99n,
        // The one-cent correction (April) is pending too, but not in May.
        pendingCents: declared - BigInt(MAX_CENTS) - 1n,
      },
    ]);
    expect(figures.shares.esfPlusCents + figures.shares.nationalCents).toBe(BigInt(MAX_CENTS - 99));
    expect(budgetRecount(db, CODE)).toEqual({
      declaredCents: declared,
      eligibleCents: BigInt(MAX_CENTS - 99),
      ineligibleCents: 99n,
      pendingCents: declared - BigInt(MAX_CENTS),
    });
    // Every part is still a 64-bit integer, none a float.
    expect(
      db
        .prepare(
          "select count(*) as n from budget_lines where typeof(declared_hi) != 'integer' or typeof(declared_lo) != 'integer'",
        )
        .get(),
    ).toEqual({ n: 0 });
    db.close();
  });

  it('between two dates: a recount of the live expenditures dated in the range, per partner too', () => {
    const day = fc.nat(700);
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 60 }),
        day,
        day,
        fc.constantFrom(undefined, 'a', 'b'),
        (ops, d1, d2, partner) => {
          const db = replay(ops);
          const between = { from: date(Math.min(d1, d2)), to: date(Math.max(d1, d2)) };
          const spending = spendingBetween(db, CODE, between, partner);
          const where = `kind = 'expenditure' and voided = 0 and occurred_on between @from and @to
          and (@partner is null or partner_id = @partner)`;
          const args = { ...between, partner: partner ?? null };
          expect(spending.lines).toEqual(
            db
              .prepare(
                `select partner_id as partnerId, category_id as categoryId, sum(cents) as declaredCents,
                      coalesce(sum(eligible_cents), 0) as eligibleCents, coalesce(sum(ineligible_cents), 0) as ineligibleCents,
                      sum(case when eligible_cents is null then cents else 0 end) as pendingCents
               from records_text where ${where} group by 1, 2 order by 1, 2`,
              )
              .safeIntegers(true)
              .all(args),
          );
          expect(spending.byMonth).toEqual(
            Object.fromEntries(
              (
                db
                  .prepare(
                    `select substr(occurred_on, 1, 7) as month, sum(cents) as declared, coalesce(sum(eligible_cents), 0) as eligible
                   from records_text where ${where} group by 1 order by 1`,
                  )
                  .safeIntegers(true)
                  .all(args) as { month: string; declared: bigint; eligible: bigint }[]
              ).map((m) => [m.month, { declaredCents: m.declared, eligibleCents: m.eligible }]),
            ),
          );
          // The whole period, the whole project: the running sums' lines and months.
          if (partner === undefined) {
            const all = spendingBetween(db, CODE, { from: date(0), to: date(700) });
            const figures = budgetOf(db, CODE)!;
            expect(all.byMonth).toEqual(figures.byMonth);
            const withSpending = new Set(all.lines.map((l) => `${l.partnerId}|${l.categoryId}`));
            expect(
              figures.lines
                .filter((l) => withSpending.has(`${l.partnerId}|${l.categoryId}`))
                .map(({ partnerId, categoryId, declaredCents, eligibleCents, ineligibleCents, pendingCents }) => ({
                  partnerId,
                  categoryId,
                  declaredCents,
                  eligibleCents,
                  ineligibleCents,
                  pendingCents,
                })),
            ).toEqual(all.lines);
          }
          db.close();
        },
      ),
      { numRuns: 300 },
    );
  });
});
