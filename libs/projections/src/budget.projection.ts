import type Database from 'better-sqlite3';
import { allocateByRates, type BudgetFigures, type BudgetLine } from '@ihl/domain';
import type { StoredEvent } from '@ihl/event-store';
import type { Projection } from './projection';
import { statement } from './statement-cache';

type Data = Record<string, unknown> & { fields?: Record<string, unknown> };

/** Envelope, allocations and every declared expenditure with its verification, in cents. */
export const budgetProjection: Projection = {
  name: 'budget',
  version: 1,
  tables: ['budget_projects', 'budget_allocations', 'budget_expenditures'],
  schema: `
    create table if not exists budget_projects (
      project_code text primary key, envelope_cents integer not null, esf_bp integer not null, national_bp integer not null
    );
    create table if not exists budget_allocations (
      project_code text not null, partner_id text not null, category_id text not null, amount_cents integer not null,
      primary key (project_code, partner_id, category_id)
    );
    create table if not exists budget_expenditures (
      expenditure_id text primary key, project_code text not null, partner_id text not null, category_id text not null,
      amount_cents integer not null, occurred_on text not null, voided integer not null default 0,
      eligible_cents integer, ineligible_cents integer
    );
  `,
  apply(db: Database.Database, e: StoredEvent): void {
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
      case 'ExpenditureDeclared':
        statement(
          db,
          'insert or ignore into budget_expenditures (expenditure_id, project_code, partner_id, category_id, amount_cents, occurred_on) values (?, ?, ?, ?, ?, ?)',
        ).run(
          d.expenditureId,
          d.projectCode,
          d.partnerId,
          d.fields!.categoryId,
          d.fields!.amountCents,
          d.fields!.occurredOn,
        );
        return;
      case 'ExpenditureCorrected':
        // New values need a new verification.
        statement(
          db,
          'update budget_expenditures set category_id = ?, amount_cents = ?, occurred_on = ?, eligible_cents = null, ineligible_cents = null where expenditure_id = ?',
        ).run(d.fields!.categoryId, d.fields!.amountCents, d.fields!.occurredOn, d.expenditureId);
        return;
      case 'ExpenditureVoided':
        statement(db, 'update budget_expenditures set voided = 1 where expenditure_id = ?').run(d.expenditureId);
        return;
      case 'ExpenditureVerified':
        statement(
          db,
          'update budget_expenditures set eligible_cents = ?, ineligible_cents = ? where expenditure_id = ?',
        ).run(d.eligibleCents, d.ineligibleCents, d.expenditureId);
        return;
    }
  },
};

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
  const rows = db
    .prepare(
      `with cells as (
         select partner_id, category_id from budget_allocations where project_code = :p
         union select partner_id, category_id from budget_expenditures where project_code = :p and voided = 0
       )
       select c.partner_id, c.category_id,
         coalesce((select amount_cents from budget_allocations a where a.project_code = :p and a.partner_id = c.partner_id and a.category_id = c.category_id), 0) as allocated,
         coalesce((select sum(amount_cents) from budget_expenditures x where x.project_code = :p and x.voided = 0 and x.partner_id = c.partner_id and x.category_id = c.category_id), 0) as declared,
         coalesce((select sum(eligible_cents) from budget_expenditures x where x.project_code = :p and x.voided = 0 and x.partner_id = c.partner_id and x.category_id = c.category_id), 0) as eligible,
         coalesce((select sum(ineligible_cents) from budget_expenditures x where x.project_code = :p and x.voided = 0 and x.partner_id = c.partner_id and x.category_id = c.category_id), 0) as ineligible,
         coalesce((select sum(amount_cents) from budget_expenditures x where x.project_code = :p and x.voided = 0 and x.eligible_cents is null and x.partner_id = c.partner_id and x.category_id = c.category_id), 0) as pending
       from cells c order by c.partner_id, c.category_id`,
    )
    .all({ p: projectCode }) as {
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
  // Independent totals straight from the tables, to prove the parts add up to the cent.
  const check = db
    .prepare(
      `select (select coalesce(sum(amount_cents), 0) from budget_allocations where project_code = :p) as allocated,
              (select coalesce(sum(amount_cents), 0) from budget_expenditures where project_code = :p and voided = 0) as declared,
              (select coalesce(sum(eligible_cents), 0) from budget_expenditures where project_code = :p and voided = 0) as eligible,
              (select coalesce(sum(ineligible_cents), 0) from budget_expenditures where project_code = :p and voided = 0) as ineligible`,
    )
    .get({ p: projectCode }) as { allocated: number; declared: number; eligible: number; ineligible: number };
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
  };
}

/** The expenditure records behind a budget figure (one partner, optionally one category). */
export function budgetRecords(
  db: Database.Database,
  projectCode: string,
  partnerId?: string,
  categoryId?: string,
): string[] {
  const where = [
    'project_code = ?',
    ...(partnerId ? ['partner_id = ?'] : []),
    ...(categoryId ? ['category_id = ?'] : []),
  ].join(' and ');
  const rows = db
    .prepare(`select expenditure_id from budget_expenditures where ${where} order by rowid`)
    .all(projectCode, ...(partnerId ? [partnerId] : []), ...(categoryId ? [categoryId] : [])) as {
    expenditure_id: string;
  }[];
  return rows.map((r) => `expenditure-${r.expenditure_id}`);
}
