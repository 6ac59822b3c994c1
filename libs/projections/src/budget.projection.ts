import type Database from 'better-sqlite3';
import { allocateByRates, type BudgetFigures, type BudgetLine } from '@ihl/domain';
import type { StoredEvent } from '@ihl/event-store';
import type { LedgerRecord, RecordChange } from './ledger-record';
import type { Projection } from './projection';
import { codeOf } from './record-index';
import { statement } from './statement-cache';

type Data = Record<string, unknown>;

/**
 * Envelope and allocations, and running sums of the expenditure records (the shared `records`
 * table) per line, per month and per project, in cents, moved by each record change so a query
 * reads a few hundred rows instead of every expenditure. The per-project sums are kept apart from
 * the lines so the reconciliation compares two independently accumulated figures.
 */
export const budgetProjection: Projection = {
  name: 'budget',
  version: 3,
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
      records integer not null, declared integer not null, eligible integer not null, ineligible integer not null, pending integer not null,
      primary key (project_code, partner_id, category_id)
    );
    create table if not exists budget_months (
      project_code text not null, month text not null, declared integer not null, eligible integer not null,
      primary key (project_code, month)
    );
    create table if not exists budget_totals (
      project_code text primary key, declared integer not null, eligible integer not null, ineligible integer not null, pending integer not null
    );
  `,
  apply(db: Database.Database, e: StoredEvent, change: RecordChange | null): void {
    if (change) {
      if (change.after.kind !== 'expenditure' || change.before === change.after) return;
      // Takes the record's old contribution out of the sums and puts the new one in.
      if (change.before) contribute(db, change.before, -1);
      contribute(db, change.after, 1);
      return;
    }
    const d = e.data as Data;
    switch (e.type) {
      case 'ProjectRegistered': {
        const def = d.definition as {
          code: string;
          envelopeCents: number;
          coFinancing: { esfPlusBp: number; nationalBp: number };
        };
        statement(db, 'insert or replace into budget_projects values (?, ?, ?, ?)').run(
          def.code,
          def.envelopeCents,
          def.coFinancing.esfPlusBp,
          def.coFinancing.nationalBp,
        );
        return;
      }
      case 'AllocationSet':
        statement(db, 'insert or replace into budget_allocations values (?, ?, ?, ?)').run(
          e.streamId.slice('project-'.length),
          d.partnerId,
          d.categoryId,
          d.amountCents,
        );
        return;
    }
  },
};

function contribute(db: Database.Database, r: LedgerRecord, sign: 1 | -1): void {
  if (r.voided) return;
  const declared = sign * r.cents;
  const eligible = sign * (r.eligibleCents ?? 0);
  const ineligible = sign * (r.ineligibleCents ?? 0);
  const pending = r.eligibleCents === null ? declared : 0;
  statement(
    db,
    `insert into budget_lines values (?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (project_code, partner_id, category_id) do update set records = records + excluded.records,
       declared = declared + excluded.declared, eligible = eligible + excluded.eligible,
       ineligible = ineligible + excluded.ineligible, pending = pending + excluded.pending`,
  ).run(r.projectCode, r.partnerId, r.categoryId, sign, declared, eligible, ineligible, pending);
  statement(
    db,
    `insert into budget_months values (?, ?, ?, ?)
     on conflict (project_code, month) do update set declared = declared + excluded.declared, eligible = eligible + excluded.eligible`,
  ).run(r.projectCode, r.occurredOn.slice(0, 7), declared, eligible);
  statement(
    db,
    `insert into budget_totals values (?, ?, ?, ?, ?)
     on conflict (project_code) do update set declared = declared + excluded.declared, eligible = eligible + excluded.eligible,
       ineligible = ineligible + excluded.ineligible, pending = pending + excluded.pending`,
  ).run(r.projectCode, declared, eligible, ineligible, pending);
}

type Sums = Omit<BudgetLine, 'partnerId' | 'categoryId' | 'overSpent'>;
const zero = (): { -readonly [K in keyof Sums]: number } => ({
  allocatedCents: 0,
  declaredCents: 0,
  eligibleCents: 0,
  ineligibleCents: 0,
  pendingCents: 0,
  remainingCents: 0,
});
function add(into: { -readonly [K in keyof Sums]: number }, l: Sums): void {
  for (const k of Object.keys(into) as (keyof Sums)[]) into[k] += l[k];
}

export function budgetOf(db: Database.Database, projectCode: string): BudgetFigures | null {
  const project = statement(db, 'select * from budget_projects where project_code = ?').get(projectCode) as
    { envelope_cents: number; esf_bp: number; national_bp: number } | undefined;
  if (!project) return null;
  // A line exists once allocated or once it holds a live (non-voided) expenditure.
  const rows = statement(
    db,
    `select partner_id, category_id, sum(allocated) as allocated, sum(declared) as declared, sum(eligible) as eligible,
            sum(ineligible) as ineligible, sum(pending) as pending
     from (
       select partner_id, category_id, amount_cents as allocated, 0 as declared, 0 as eligible, 0 as ineligible, 0 as pending
       from budget_allocations where project_code = :p
       union all
       select partner_id, category_id, 0, declared, eligible, ineligible, pending
       from budget_lines where project_code = :p and records > 0
     ) group by partner_id, category_id order by partner_id, category_id`,
  ).all({ p: projectCode }) as {
    partner_id: string;
    category_id: string;
    allocated: number;
    declared: number;
    eligible: number;
    ineligible: number;
    pending: number;
  }[];
  const lines: BudgetLine[] = rows.map((r) => ({
    partnerId: r.partner_id,
    categoryId: r.category_id,
    allocatedCents: r.allocated,
    declaredCents: r.declared,
    eligibleCents: r.eligible,
    ineligibleCents: r.ineligible,
    pendingCents: r.pending,
    // What is left of the allocation once eligible and still-pending costs are counted.
    remainingCents: r.allocated - r.eligible - r.pending,
    overSpent: r.declared - r.ineligible > r.allocated,
  }));
  const byPartner: Record<string, ReturnType<typeof zero>> = {};
  const total = zero();
  for (const l of lines) {
    add((byPartner[l.partnerId] ??= zero()), l);
    add(total, l);
  }
  // Totals accumulated apart from the lines (and allocations summed from their own table) must
  // equal the sum of the parts to the cent.
  const check = statement(
    db,
    `select (select coalesce(sum(amount_cents), 0) from budget_allocations where project_code = :p) as allocated,
            coalesce(t.declared, 0) as declared, coalesce(t.eligible, 0) as eligible, coalesce(t.ineligible, 0) as ineligible
     from (select 1) left join budget_totals t on t.project_code = :p`,
  ).get({ p: projectCode }) as { allocated: number; declared: number; eligible: number; ineligible: number };
  const differences: string[] = [];
  for (const [k, v] of [
    ['allocated', total.allocatedCents],
    ['declared', total.declaredCents],
    ['eligible', total.eligibleCents],
    ['ineligible', total.ineligibleCents],
  ] as const) {
    if (check[k] !== v) differences.push(`${k}: parts sum to ${v}, total is ${check[k]}`);
    const partners = Object.values(byPartner).reduce((a, p) => a + p[`${k}Cents`], 0);
    if (partners !== check[k]) differences.push(`${k}: partners sum to ${partners}, project total is ${check[k]}`);
  }
  const [esfPlusCents, nationalCents] = allocateByRates(total.eligibleCents, [project.esf_bp, project.national_bp]) as [
    number,
    number,
  ];
  return {
    envelopeCents: project.envelope_cents,
    lines,
    byPartner,
    total: { ...total, unallocatedCents: project.envelope_cents - total.allocatedCents },
    shares: { esfPlusCents, nationalCents },
    flags: {
      overAllocated: total.allocatedCents > project.envelope_cents,
      overSpentLines: lines.filter((l) => l.overSpent).length,
    },
    reconciliation: { ok: differences.length === 0, differences },
    byMonth: Object.fromEntries(
      (
        statement(
          db,
          'select month, declared, eligible from budget_months where project_code = ? and (declared != 0 or eligible != 0) order by month',
        ).all(projectCode) as { month: string; declared: number; eligible: number }[]
      ).map((m) => [m.month, { declaredCents: m.declared, eligibleCents: m.eligible }]),
    ),
  };
}

/**
 * The project totals recounted from every expenditure row, the slow way: what the running sums
 * must always equal (checked by tests, and available to a verify command).
 */
export function budgetRecount(db: Database.Database, projectCode: string) {
  return db
    .prepare(
      `select coalesce(sum(amount_cents), 0) as declaredCents, coalesce(sum(eligible_cents), 0) as eligibleCents,
              coalesce(sum(ineligible_cents), 0) as ineligibleCents,
              coalesce(sum(case when eligible_cents is null then amount_cents else 0 end), 0) as pendingCents
       from (select cents as amount_cents, eligible_cents, ineligible_cents from records
             where project_code = ${codeOf('?')} and kind = ${codeOf("'expenditure'")} and voided = 0)`,
    )
    .get(projectCode) as {
    declaredCents: number;
    eligibleCents: number;
    ineligibleCents: number;
    pendingCents: number;
  };
}

/** Expenditures with a verified eligible part (live, not re-opened by a correction), for the IATI file. */
export function verifiedExpenditures(db: Database.Database, projectCode: string) {
  return statement(
    db,
    `select record_id as expenditureId, partner_id as partnerId, category_id as categoryId,
            occurred_on as occurredOn, eligible_cents as eligibleCents
     from records_text where project_code = ? and kind = 'expenditure' and voided = 0 and eligible_cents > 0
     order by occurred_on, seq`,
  ).all(projectCode) as {
    expenditureId: string;
    partnerId: string;
    categoryId: string;
    occurredOn: string;
    eligibleCents: number;
  }[];
}
