import type { Sql } from './statement-cache';

/** Which records one simplified cost option counts (see simplified-costs.query.ts). */
export type ScoAuditBasis =
  | {
      readonly type: 'unit-cost';
      readonly kind: string;
      readonly service?: string | undefined;
      readonly setting?: string | undefined;
      readonly reportedBy?: ScoPeriodBound;
    }
  | { readonly type: 'flat-rate'; readonly categories: readonly string[]; readonly reportedBy?: ScoPeriodBound };

/** Only the records reported by a period (a payment claim's): late entries by their reported period, others by date. */
export interface ScoPeriodBound {
  readonly period: string;
  readonly end: string;
}

/**
 * The conditions on `records_text` picking exactly the records an option's amount counts: the same
 * as `scoVolumeSums` (verified, not voided, narrowed by service and setting) and `eligibleSums`
 * (expenditures of the base categories, not voided, with a verified eligible part).
 */
const REPORTED_BY = ' and (reported_in <= ? or (reported_in is null and occurred_on <= ?))';

function recordsOf(basis: ScoAuditBasis, partnerId: string | undefined): { where: string; args: unknown[] } {
  const r = basis.reportedBy;
  const partner = [...(partnerId === undefined ? [] : [partnerId]), ...(r ? [r.period, r.end] : [])];
  const byPartner = `${partnerId === undefined ? '' : ' and partner_id = ?'}${r ? REPORTED_BY : ''}`;
  if (basis.type === 'flat-rate') {
    const where = `kind = 'expenditure' and voided = 0 and eligible_cents is not null and category_id in (${basis.categories.map(() => '?').join(', ') || "''"})${byPartner}`;
    return { where, args: [...basis.categories, ...partner] };
  }
  const narrow = `${basis.service === undefined ? '' : ' and service = ?'}${basis.setting === undefined ? '' : ' and setting = ?'}`;
  return {
    where: `kind = ? and voided = 0 and review = 1${narrow}${byPartner}`,
    args: [
      basis.kind,
      ...(basis.service === undefined ? [] : [basis.service]),
      ...(basis.setting === undefined ? [] : [basis.setting]),
      ...partner,
    ],
  };
}

/**
 * One page of the events behind an option's amount, in log order: every event of each record it
 * counts (creation, verdicts, corrections), nothing else. Counted at query time over `records_text`
 * (no maintained counts): an option's records are one partner's or one project's verified records of
 * a kind, so it serves the live read models and the as-of views alike.
 */
export function scoAuditPageAt(
  db: Sql,
  projectCode: string,
  basis: ScoAuditBasis,
  partnerId: string | undefined,
  at: number | { readonly after: number },
  pageSize: number,
): { total: number; positions: number[]; next: number | null } {
  const { where, args } = recordsOf(basis, partnerId);
  const seqs = `select seq, position from records_text where project_code = ? and ${where}`;
  const all = `select position from (${seqs})
    union all select e.position from records_events e where e.seq in (select seq from (${seqs}))`;
  const params = [projectCode, ...args];
  const total = (db.prepare(`select count(*) as n from (${all})`).get(...params, ...params) as { n: number }).n;
  const after = typeof at === 'number' ? 0 : at.after;
  const offset = typeof at === 'number' ? (at - 1) * pageSize : 0;
  // One row more than the page: whether another page follows.
  const rows = (
    db
      .prepare(`select position from (${all}) where position > ? order by position limit ? offset ?`)
      .all(...params, ...params, after, pageSize + 1, offset) as { position: number }[]
  ).map((r) => r.position);
  const positions = rows.slice(0, pageSize);
  return { total, positions, next: rows.length > pageSize ? positions[pageSize - 1]! : null };
}
