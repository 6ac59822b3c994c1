// Relative, not the package: the projections' own specs use it.
import { auditTotal } from '../../libs/projections/src/audit-counts';
import { scopeArgs, scopeParts, type AuditScope } from '../../libs/projections/src/audit-trail.projection';
import type { Sql } from '../../libs/projections/src/statement-cache';

/** The positions behind a scope, those after `:after` (0: all), as one SQL union. */
export function scopePositions(scope: AuditScope): string {
  const parts = scopeParts(scope);
  return [parts.records, parts.laterEvents, ...(parts.allocations ? [parts.allocations] : [])].join(' union all ');
}

/**
 * The tests' reference for an audit page by number: the scope's whole union sorted and cut, the
 * plainest reading of what a page is (the API pages with audit-keyset.ts).
 */
export function auditPage(
  db: Sql,
  scope: AuditScope,
  page: number,
  pageSize: number,
): { total: number; positions: number[] } {
  const args = scopeArgs(scope);
  const positions = (
    db
      .prepare(`select position from (${scopePositions(scope)}) order by position limit :limit offset :offset`)
      .all({ ...args, after: 0, limit: pageSize, offset: (page - 1) * pageSize }) as { position: number }[]
  ).map((r) => r.position);
  return { total: auditTotal(db, args, scope.figure === 'budget'), positions };
}
