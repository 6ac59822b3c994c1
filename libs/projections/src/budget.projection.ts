import {
  addBudgetSums,
  coFinancingShares,
  zeroBudgetSums,
  type BudgetFigures,
  type BudgetLine,
  type BudgetSums,
  type BudgetTally,
  type CentsSum,
  type MonthSpend,
} from '@ihl/domain';
import type { LedgerEvent } from './ledger-events';
import type { LedgerRecord } from './ledger-record';
import type { Projection } from './projection';
import { codeOf } from './record-index';
import type { Sql } from './statement-cache';

type Row = Record<string, unknown>;

/**
 * A running sum is two SQLite integers, `hi * PART + lo` with lo kept in [0, PART): one 64-bit
 * integer would pass its range after some 9 000 declarations of the largest amount, and SQLite's
 * arithmetic then turns the sum into a float without a word. Every amount is below PART
 * (MAX_CENTS < 10^15), so lo plus one amount never comes near the 64-bit range.
 */
const PART = 1_000_000_000_000_000;
const PART_BIG = BigInt(PART);
const LINE_SUMS = ['declared', 'eligible', 'ineligible', 'pending'] as const;
const MONTH_SUMS = ['declared', 'eligible'] as const;

const sumColumns = (names: readonly string[]) =>
  names.map((n) => `${n}_hi integer not null, ${n}_lo integer not null`).join(', ');
/** `n = n + excluded.n` on the two parts, carrying so that lo stays in [0, PART). */
const addSum = (n: string) => {
  const lo = `(${n}_lo + excluded.${n}_lo)`;
  const carry = `((${lo} >= ${PART}) - (${lo} < 0))`;
  return `${n}_hi = ${n}_hi + excluded.${n}_hi + ${carry}, ${n}_lo = ${lo} - ${carry} * ${PART}`;
};
/** One amount (a safe integer) as its two parts. */
const split = (cents: number): [number, number] => {
  const hi = Math.floor(cents / PART);
  return [hi, cents - hi * PART];
};
/** Reads the two parts back (from a statement in safeIntegers mode) as one exact sum. */
const joined = (row: Row, n: string): CentsSum =>
  BigInt(row[`${n}_hi`] as bigint) * PART_BIG + BigInt(row[`${n}_lo`] as bigint);
const partsOf = (names: readonly string[]) => names.map((n) => `${n}_hi, ${n}_lo`).join(', ');

/**
 * Envelope and allocations, and running sums of the expenditure records (the shared `records`
 * table) per line, per month and per project, in cents, moved by each record change so a query
 * reads a few hundred rows instead of every expenditure. The per-project sums are kept apart from
 * the lines so the reconciliation compares two independently accumulated figures.
 */
export const budgetProjection: Projection<LedgerEvent<'ProjectRegistered' | 'AllocationSet'>> = {
  name: 'budget',
  version: 5,
  tables: ['budget_projects', 'budget_allocations', 'budget_lines', 'budget_months', 'budget_totals'],
  schema: `
    create table if not exists budget_projects (
      project_code text primary key, envelope_cents integer not null, esf_bp integer not null, national_bp integer not null
    );
    create table if not exists budget_allocations (
      project_code text not null, partner_id text not null, category_id text not null, amount_cents integer not null,
      primary key (project_code, partner_id, category_id)
    );
    create table if not exists budget_lines (
      project_code text not null, partner_id text not null, category_id text not null,
      records integer not null, ${sumColumns(LINE_SUMS)},
      primary key (project_code, partner_id, category_id)
    );
    create table if not exists budget_months (
      project_code text not null, month text not null, ${sumColumns(MONTH_SUMS)},
      primary key (project_code, month)
    );
    create table if not exists budget_totals (
      project_code text primary key, ${sumColumns(LINE_SUMS)}
    );
  `,
  handles: ['ProjectRegistered', 'AllocationSet'],
  evolveRecord({ before, after }, { db }): void {
    if (after.kind !== 'expenditure') return;
    // Takes the record's old contribution out of the sums and puts the new one in.
    if (before) contribute(db, before, -1);
    contribute(db, after, 1);
  },
  evolve(e, { db }): void {
    switch (e.type) {
      case 'ProjectRegistered': {
        const def = e.data.definition;
        db.prepare('insert or replace into budget_projects values (?, ?, ?, ?)').run(
          def.code,
          def.envelopeCents,
          def.coFinancing.esfPlusBp,
          def.coFinancing.nationalBp,
        );
        return;
      }
      case 'AllocationSet':
        db.prepare('insert or replace into budget_allocations values (?, ?, ?, ?)').run(
          e.streamId.slice('project-'.length),
          e.data.partnerId,
          e.data.categoryId,
          e.data.amountCents,
        );
        return;
    }
  },
};

const ADD_TO_LINE = `insert into budget_lines values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  on conflict (project_code, partner_id, category_id) do update set records = records + excluded.records,
  ${LINE_SUMS.map(addSum).join(', ')}`;
const ADD_TO_MONTH = `insert into budget_months values (?, ?, ?, ?, ?, ?)
  on conflict (project_code, month) do update set ${MONTH_SUMS.map(addSum).join(', ')}`;
const ADD_TO_TOTAL = `insert into budget_totals values (?, ?, ?, ?, ?, ?, ?, ?, ?)
  on conflict (project_code) do update set ${LINE_SUMS.map(addSum).join(', ')}`;

function contribute(db: Sql, r: LedgerRecord, sign: 1 | -1): void {
  if (r.voided) return;
  const declared = split(sign * r.cents);
  const eligible = split(sign * (r.eligibleCents ?? 0));
  const ineligible = split(sign * (r.ineligibleCents ?? 0));
  const pending = r.eligibleCents === null ? declared : split(0);
  db.prepare(ADD_TO_LINE).run(
    r.projectCode,
    r.partnerId,
    r.categoryId,
    sign,
    ...declared,
    ...eligible,
    ...ineligible,
    ...pending,
  );
  db.prepare(ADD_TO_MONTH).run(r.projectCode, r.occurredOn.slice(0, 7), ...declared, ...eligible);
  db.prepare(ADD_TO_TOTAL).run(r.projectCode, ...declared, ...eligible, ...ineligible, ...pending);
}

/** A statement whose integers come back as BigInt: the sums and their parts. */
const exact = (db: Sql, sql: string) => db.prepare(sql).safeIntegers(true);

export function budgetOf(db: Sql, projectCode: string): BudgetFigures | null {
  const project = db.prepare('select * from budget_projects where project_code = ?').get(projectCode) as
    { envelope_cents: number; esf_bp: number; national_bp: number } | undefined;
  if (!project) return null;
  const lines = budgetLines(db, projectCode);
  const byPartner: Record<string, BudgetTally> = {};
  const total = zeroBudgetSums();
  for (const l of lines) {
    addBudgetSums((byPartner[l.partnerId] ??= zeroBudgetSums()), l);
    addBudgetSums(total, l);
  }
  const differences = reconcile(db, projectCode, total, byPartner);
  const envelope = BigInt(project.envelope_cents);
  return {
    envelopeCents: project.envelope_cents,
    lines,
    byPartner,
    total: { ...total, unallocatedCents: envelope - total.allocatedCents },
    shares: coFinancingShares(total.eligibleCents, project.esf_bp, project.national_bp),
    flags: {
      overAllocated: total.allocatedCents > envelope,
      overSpentLines: lines.filter((l) => l.overSpent).length,
    },
    reconciliation: { ok: differences.length === 0, differences },
    byMonth: monthsOf(db, projectCode),
  };
}

/** The project's lines (partner × category), in order: a line exists once allocated or once it holds a live (non-voided) expenditure. */
function budgetLines(db: Sql, projectCode: string): BudgetLine[] {
  const byLine = new Map<string, { partnerId: string; categoryId: string; allocated: CentsSum; sums: Row | null }>();
  const lineOf = (partnerId: string, categoryId: string) => {
    const key = `${partnerId}\u0000${categoryId}`;
    let line = byLine.get(key);
    if (!line) byLine.set(key, (line = { partnerId, categoryId, allocated: 0n, sums: null }));
    return line;
  };
  for (const a of exact(
    db,
    'select partner_id, category_id, amount_cents from budget_allocations where project_code = ?',
  ).all(projectCode) as { partner_id: string; category_id: string; amount_cents: bigint }[])
    lineOf(a.partner_id, a.category_id).allocated = a.amount_cents;
  for (const r of exact(
    db,
    `select partner_id, category_id, ${partsOf(LINE_SUMS)} from budget_lines where project_code = ? and records > 0`,
  ).all(projectCode) as Row[])
    lineOf(r.partner_id as string, r.category_id as string).sums = r;
  return [...byLine.values()]
    .sort((a, b) => compare(a.partnerId, b.partnerId) || compare(a.categoryId, b.categoryId))
    .map(({ partnerId, categoryId, allocated, sums }) => {
      const [declared, eligible, ineligible, pending] = LINE_SUMS.map((n) => (sums ? joined(sums, n) : 0n)) as [
        CentsSum,
        CentsSum,
        CentsSum,
        CentsSum,
      ];
      return {
        partnerId,
        categoryId,
        allocatedCents: allocated,
        declaredCents: declared,
        eligibleCents: eligible,
        ineligibleCents: ineligible,
        pendingCents: pending,
        // What is left of the allocation once eligible and still-pending costs are counted.
        remainingCents: allocated - eligible - pending,
        overSpent: declared - ineligible > allocated,
      };
    });
}

/**
 * Totals accumulated apart from the lines (and allocations summed from their own table) must equal
 * the sum of the parts to the cent: the differences found, if any.
 */
function reconcile(db: Sql, projectCode: string, total: BudgetSums, byPartner: Record<string, BudgetSums>): string[] {
  const totals = exact(db, `select ${partsOf(LINE_SUMS)} from budget_totals where project_code = ?`).get(
    projectCode,
  ) as Row | undefined;
  const allocated = exact(
    db,
    'select coalesce(sum(amount_cents), 0) as allocated from budget_allocations where project_code = ?',
  ).get(projectCode) as { allocated: bigint };
  const check = {
    allocated: allocated.allocated,
    declared: totals ? joined(totals, 'declared') : 0n,
    eligible: totals ? joined(totals, 'eligible') : 0n,
    ineligible: totals ? joined(totals, 'ineligible') : 0n,
  };
  const differences: string[] = [];
  for (const [k, v] of [
    ['allocated', total.allocatedCents],
    ['declared', total.declaredCents],
    ['eligible', total.eligibleCents],
    ['ineligible', total.ineligibleCents],
  ] as const) {
    if (check[k] !== v) differences.push(`${k}: parts sum to ${v}, total is ${check[k]}`);
    const partners = Object.values(byPartner).reduce((a, p) => a + p[`${k}Cents`], 0n);
    if (partners !== check[k]) differences.push(`${k}: partners sum to ${partners}, project total is ${check[k]}`);
  }
  return differences;
}

/** Declared and eligible per month, months with something in them. */
function monthsOf(db: Sql, projectCode: string): Record<string, MonthSpend> {
  return Object.fromEntries(
    (
      exact(
        db,
        `select month, ${partsOf(MONTH_SUMS)} from budget_months where project_code = ?
         and (declared_hi != 0 or declared_lo != 0 or eligible_hi != 0 or eligible_lo != 0) order by month`,
      ).all(projectCode) as Row[]
    ).map((m) => [m.month as string, { declaredCents: joined(m, 'declared'), eligibleCents: joined(m, 'eligible') }]),
  );
}

/** SQLite's order for these ids (binary, which is code-unit order for the slugs partners and categories are). */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The project totals recounted from every expenditure row, the slow way: what the running sums
 * must always equal (checked by tests, and available to a verify command). Added up here, in
 * BigInt: SQLite's sum() stops with "integer overflow" past 2^63.
 */
export function budgetRecount(db: Sql, projectCode: string) {
  const sums = { declaredCents: 0n, eligibleCents: 0n, ineligibleCents: 0n, pendingCents: 0n };
  const rows = db
    .prepare(
      `select cents, eligible_cents, ineligible_cents from records
       where project_code = ${codeOf('?')} and kind = ${codeOf("'expenditure'")} and voided = 0`,
    )
    .raw(true)
    .iterate(projectCode) as IterableIterator<[number, number | null, number | null]>;
  for (const [cents, eligible, ineligible] of rows) {
    sums.declaredCents += BigInt(cents);
    sums.eligibleCents += BigInt(eligible ?? 0);
    sums.ineligibleCents += BigInt(ineligible ?? 0);
    if (eligible === null) sums.pendingCents += BigInt(cents);
  }
  return sums;
}

/** Expenditures with a verified eligible part (live, not re-opened by a correction), for the IATI file. */
export function verifiedExpenditures(db: Sql, projectCode: string) {
  return db
    .prepare(
      `select record_id as expenditureId, partner_id as partnerId, category_id as categoryId,
            occurred_on as occurredOn, eligible_cents as eligibleCents
     from records_text where project_code = ? and kind = 'expenditure' and voided = 0 and eligible_cents > 0
     order by occurred_on, seq`,
    )
    .all(projectCode) as {
    expenditureId: string;
    partnerId: string;
    categoryId: string;
    occurredOn: string;
    eligibleCents: number;
  }[];
}

/** The expenditure sums of a line (partner × category) over some of its records. */
export type SpendingLine = Pick<
  BudgetLine,
  'partnerId' | 'categoryId' | 'declaredCents' | 'eligibleCents' | 'ineligibleCents' | 'pendingCents'
>;

/**
 * The live expenditures dated from `from` to `to` (both included), per line and per month, the
 * project's or one partner's. The running sums hold no dates below the month, so these are added
 * up from the rows of `records`, in BigInt like the sums. Allocations are not dated: they, what
 * remains of them and the over-spend flags belong to the whole project period, not to a range.
 */
export function spendingBetween(
  db: Sql,
  projectCode: string,
  between: { readonly from: string; readonly to: string },
  partnerId?: string,
): { lines: SpendingLine[]; byMonth: Record<string, MonthSpend> } {
  const rows = exact(
    db,
    `select p.text as partnerId, c.text as categoryId, r.occurred_on as occurredOn, r.cents,
            r.eligible_cents as eligible, r.ineligible_cents as ineligible
     from records r join records_codes p on p.code = r.partner_id join records_codes c on c.code = r.category_id
     where r.project_code = ${codeOf('@project')} and r.kind = ${codeOf("'expenditure'")} and r.voided = 0
       and (@partner is null or r.partner_id = ${codeOf('@partner')}) and r.occurred_on between @from and @to`,
  ).iterate({ project: projectCode, partner: partnerId ?? null, from: between.from, to: between.to }) as Iterable<{
    partnerId: string;
    categoryId: string;
    occurredOn: string;
    cents: bigint;
    eligible: bigint | null;
    ineligible: bigint | null;
  }>;
  const lines = new Map<string, { -readonly [K in keyof SpendingLine]: SpendingLine[K] }>();
  const byMonth: Record<string, { declaredCents: CentsSum; eligibleCents: CentsSum }> = {};
  for (const r of rows) {
    const key = `${r.partnerId}\u0000${r.categoryId}`;
    let line = lines.get(key);
    if (!line)
      lines.set(
        key,
        (line = {
          partnerId: r.partnerId,
          categoryId: r.categoryId,
          declaredCents: 0n,
          eligibleCents: 0n,
          ineligibleCents: 0n,
          pendingCents: 0n,
        }),
      );
    line.declaredCents += r.cents;
    line.eligibleCents += r.eligible ?? 0n;
    line.ineligibleCents += r.ineligible ?? 0n;
    // Not verified yet (or corrected since): pending, as in the running sums.
    if (r.eligible === null) line.pendingCents += r.cents;
    const month = (byMonth[r.occurredOn.slice(0, 7)] ??= { declaredCents: 0n, eligibleCents: 0n });
    month.declaredCents += r.cents;
    month.eligibleCents += r.eligible ?? 0n;
  }
  return {
    lines: [...lines.values()].sort((a, b) => compare(a.partnerId, b.partnerId) || compare(a.categoryId, b.categoryId)),
    byMonth: Object.fromEntries(Object.entries(byMonth).sort(([a], [b]) => compare(a, b))),
  };
}
