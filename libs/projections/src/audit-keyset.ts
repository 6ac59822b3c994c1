import { auditTotal, type ScopeArgs } from './audit-counts';
import { markAtOrBelow } from './audit-marks';
import { scopeArgs, scopeParts, type AuditScope } from './audit-trail.projection';
import { codeOf } from './record-index';
import type { Sql } from './statement-cache';

/** A scope holding at least this share of its project's events is read in log order and filtered. */
const DENSE_SHARE = 1 / 100;

/**
 * The smallest record seq whose creation is after `after`: records are numbered in log order, so
 * a binary search over a few rowid lookups, without an index on the position.
 */
function firstSeqAfter(db: Sql, after: number): number {
  const at = db.prepare('select seq, position from records where seq >= ? order by seq limit 1');
  let lo = 1;
  let hi = (db.prepare('select ifnull(max(seq), 0) + 1 as n from records').get() as { n: number }).n;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const row = at.get(mid) as { seq: number; position: number } | undefined;
    if (!row || row.position > after) hi = mid;
    else lo = row.seq + 1;
  }
  return lo;
}

/**
 * The first `limit` positions of each part of the scope after `after`, each read in log order so
 * that it stops at `limit`: the records by the scope index when it orders them; in a dense scope
 * the records in seq order and the later events in position order, filtered; in a sparse one the
 * rest through the index or per record, sorted.
 */
function firstOfEachPart(db: Sql, scope: AuditScope, after: number, limit: number, dense: boolean): number[] {
  const parts = scopeParts(scope);
  const args = { ...scopeArgs(scope), after, limit };
  const read = (sql: string, extra: Record<string, number> = {}) =>
    (db.prepare(sql).all({ ...args, ...extra }) as { position: number }[]).map((r) => r.position);
  // A sparse scope unordered by the index is small: sorted whole rather than searched for in the table.
  const records =
    parts.ordered || !dense
      ? read(`${parts.records} order by r.position limit :limit`)
      : read(
          `select position from records as r not indexed where r.seq >= :fromSeq and ${parts.where} order by r.seq limit :limit`,
          { fromSeq: firstSeqAfter(db, after) },
        );
  const later = dense
    ? read(
        `select e.position from records_events e cross join records r on r.seq = e.seq where e.position > :after and ${parts.where} order by e.position limit :limit`,
      )
    : read(`${parts.laterEvents} order by e.position limit :limit`);
  const allocations = parts.allocations ? read(`${parts.allocations} order by position limit :limit`) : [];
  return [...records, ...later, ...allocations];
}

function projectEvents(db: Sql, args: ScopeArgs): number {
  return (
    db.prepare(`select ifnull(sum(n), 0) as n from audit_counts where project_code = ${codeOf(':p')}`).get(args) as {
      n: number;
    }
  ).n;
}

/**
 * The page after a position (0: the first), at the cost of a first page whatever the depth; `next`
 * is its last position when more follow (the cursor of the page after it).
 */
export function auditPageAfter(
  db: Sql,
  scope: AuditScope,
  after: number,
  pageSize: number,
): { total: number; positions: number[]; next: number | null } {
  const args = scopeArgs(scope);
  const total = auditTotal(db, args, scope.figure === 'budget');
  // One row more than the page: whether another page follows.
  const rows = firstOfEachPart(db, scope, after, pageSize + 1, total >= projectEvents(db, args) * DENSE_SHARE)
    .sort((a, b) => a - b)
    .slice(0, pageSize + 1);
  const positions = rows.slice(0, pageSize);
  return { total, positions, next: rows.length > pageSize ? positions[pageSize - 1]! : null };
}

/**
 * A page by number: each part of the scope read in its own order from the last mark before the
 * page (audit-marks.ts) up to the page's end and merged, so any page costs at most a mark's span
 * more than a cursor page. A budget scope narrowed to a category has no marks (a record's category
 * can change): it reads from the start, so its deep pages cost more.
 */
export function auditPageNumber(
  db: Sql,
  scope: AuditScope,
  page: number,
  pageSize: number,
): { total: number; positions: number[]; next: number | null } {
  const args = scopeArgs(scope);
  const budget = scope.figure === 'budget';
  const total = auditTotal(db, args, budget);
  const skip = (page - 1) * pageSize;
  if (skip >= total) return { total, positions: [], next: null };
  const unmarked = skip === 0 || (budget && args.category !== null);
  const from = unmarked ? { position: 0, rank: 0 } : markAtOrBelow(db, args, budget, skip);
  const ahead = skip - from.rank;
  const rows = firstOfEachPart(
    db,
    scope,
    from.position,
    ahead + pageSize,
    total >= projectEvents(db, args) * DENSE_SHARE,
  )
    .sort((a, b) => a - b)
    .slice(ahead, ahead + pageSize);
  const more = rows.length > 0 && skip + rows.length < total;
  return { total, positions: rows, next: more ? rows[rows.length - 1]! : null };
}

/** A page by number or after a position, with the cursor of the page after it (null: the last). */
export function auditPageAt(
  db: Sql,
  scope: AuditScope,
  at: number | { readonly after: number },
  pageSize: number,
): { total: number; positions: number[]; next: number | null } {
  return typeof at === 'number'
    ? auditPageNumber(db, scope, at, pageSize)
    : auditPageAfter(db, scope, at.after, pageSize);
}
