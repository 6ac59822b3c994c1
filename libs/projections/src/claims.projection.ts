import { claimBudgetFigures, type ClaimBudgetFigures, type ClaimBudgetLine } from '@ihl/domain';
import type { LedgerEvent } from './ledger-events';
import type { Projection } from './projection';
import type { Sql } from './statement-cache';

type ClaimEventType = 'ClaimComposed' | 'ClaimWithdrawn' | 'ClaimDecisionRecorded' | 'ClaimReimbursed';

/**
 * One row per cost a live claim carries: its line of the budget and what the claim made of it
 * (claimed, accepted once decided, reimbursed). A withdrawn claim's rows go: its costs are free.
 * The budget adds the rows up per line in BigInt (a sum in SQLite could pass 2^63).
 */
export const claimsProjection: Projection<LedgerEvent<ClaimEventType>> = {
  name: 'claims',
  version: 1,
  tables: ['claims_lines'],
  schema: `
    create table if not exists claims_lines (
      project_code text not null, claim_id text not null, expenditure_id text not null,
      partner_id text not null, category_id text not null,
      claimed_cents integer not null, accepted_cents integer not null, reimbursed_cents integer not null,
      primary key (claim_id, expenditure_id)
    );
    create index if not exists claims_lines_project on claims_lines (project_code, partner_id, category_id);
  `,
  handles: ['ClaimComposed', 'ClaimWithdrawn', 'ClaimDecisionRecorded', 'ClaimReimbursed'],
  evolve(e, { db }): void {
    switch (e.type) {
      case 'ClaimComposed': {
        const add = db.prepare('insert or replace into claims_lines values (?, ?, ?, ?, ?, ?, 0, 0)');
        for (const l of e.data.lines)
          add.run(e.data.projectCode, e.data.claimId, l.expenditureId, l.partnerId, l.categoryId, l.eligibleCents);
        return;
      }
      case 'ClaimWithdrawn':
        db.prepare('delete from claims_lines where claim_id = ?').run(e.data.claimId);
        return;
      case 'ClaimDecisionRecorded': {
        const set = db.prepare('update claims_lines set accepted_cents = ? where claim_id = ? and expenditure_id = ?');
        for (const d of e.data.lines) set.run(d.acceptedCents, e.data.claimId, d.expenditureId);
        return;
      }
      case 'ClaimReimbursed': {
        const add = db.prepare(
          'update claims_lines set reimbursed_cents = reimbursed_cents + ? where claim_id = ? and expenditure_id = ?',
        );
        for (const p of e.data.byLine) add.run(p.cents, e.data.claimId, p.expenditureId);
        return;
      }
    }
  },
};

/** The claims' figures per budget line (partner × category, in id order), by partner and in total. */
export function claimFiguresOf(db: Sql, projectCode: string): ClaimBudgetFigures {
  const rows = db
    .prepare(
      `select partner_id, category_id, claimed_cents, accepted_cents, reimbursed_cents from claims_lines
       where project_code = ? order by partner_id, category_id`,
    )
    .safeIntegers(true)
    .iterate(projectCode) as Iterable<{
    partner_id: string;
    category_id: string;
    claimed_cents: bigint;
    accepted_cents: bigint;
    reimbursed_cents: bigint;
  }>;
  const lines: { -readonly [K in keyof ClaimBudgetLine]: ClaimBudgetLine[K] }[] = [];
  for (const r of rows) {
    let line = lines[lines.length - 1];
    if (!line || line.partnerId !== r.partner_id || line.categoryId !== r.category_id)
      lines.push(
        (line = {
          partnerId: r.partner_id,
          categoryId: r.category_id,
          claimedCents: 0n,
          acceptedCents: 0n,
          reimbursedCents: 0n,
          outstandingCents: 0n,
        }),
      );
    line.claimedCents += r.claimed_cents;
    line.acceptedCents += r.accepted_cents;
    line.reimbursedCents += r.reimbursed_cents;
    line.outstandingCents += r.accepted_cents - r.reimbursed_cents;
  }
  return claimBudgetFigures(lines);
}
