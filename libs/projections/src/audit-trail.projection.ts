import {
  commitAuditCounts,
  countAllocation,
  countsInBulk,
  sameScope,
  AUDIT_COUNTS_SCHEMA,
  type AuditBatch,
  type ScopeArgs,
} from './audit-counts';
import { AUDIT_MARK_EVERY, AUDIT_MARKS_SCHEMA } from './audit-marks';
import type { AnyEvent, LedgerEvent } from './ledger-events';
import type { Projection } from './projection';
import { codeOf } from './record-index';
import type { Sql } from './statement-cache';

const isAllocation = (e: AnyEvent): e is LedgerEvent<'AllocationSet'> => e.type === 'AllocationSet';

/**
 * The position of every allocation, and how many events stand behind each scope (audit-counts.ts).
 * With the shared `records` table (each record's creation position, project, partner, kind and
 * category) and `records_events` (the position of every later event of a record), it lets the audit
 * trail page through a figure's events in SQL and read only the events of the page from the store,
 * so its cost does not grow with the log. It takes every event ('all') so that each runner batch
 * reaches `commit`, where the counts catch up with the records, even a batch of later events that
 * changed no record.
 */
export const auditTrailProjection = auditTrailProjectionMarking(AUDIT_MARK_EVERY);

/** The projection with a mark every `markEvery` record events of a project (audit-marks.ts; small in tests). */
export function auditTrailProjectionMarking(markEvery: number): Projection<AnyEvent, AuditBatch> {
  return {
    name: 'audit',
    version: 5,
    tables: ['audit_allocations', 'audit_counts', 'audit_allocation_counts', 'audit_counted', 'audit_marks'],
    schema: `
    create table if not exists audit_allocations (
      position integer primary key, project_code text not null, partner_id text not null, category_id text not null
    );
    ${AUDIT_COUNTS_SCHEMA}
    ${AUDIT_MARKS_SCHEMA}
  `,
    handles: 'all',
    evolve: (e, { db }) => recordAllocation(e, db),
    evolveRecord({ before, after }, { batch }): void {
      // Counted before this batch in the scope it had then: commit moves its events (a new category).
      if (before && !sameScope(before, after) && !batch.moved.has(after.seq)) batch.moved.set(after.seq, before);
    },
    createBatch: () => ({ moved: new Map() }),
    commit: (batch, db) => commitAuditCounts(batch, db, markEvery),
    // In bulk the counts are kept from every record event: nothing to read back from `records`.
    bulk(tables) {
      const counts = countsInBulk(tables, markEvery);
      return {
        evolve(e, db): void {
          counts.start();
          recordAllocation(e, db);
        },
        evolveRecord: (change, db) => counts.count(change, db),
      };
    },
  };
}

/** An allocation's position and scope (allocations are few: written through SQL in bulk too). */
function recordAllocation(e: AnyEvent, db: Sql): void {
  if (!isAllocation(e)) return;
  const projectCode = e.streamId.slice('project-'.length);
  const added = db
    .prepare('insert or ignore into audit_allocations values (?, ?, ?, ?)')
    .run(e.position, projectCode, e.data.partnerId, e.data.categoryId);
  if (added.changes === 1) countAllocation(db, projectCode, e.data.partnerId, e.data.categoryId);
}

export interface AuditScope {
  readonly projectCode: string;
  /** 'persons-reached' (service records), 'volumes' (every activity record) or 'budget'. */
  readonly figure: 'persons-reached' | 'volumes' | 'budget';
  readonly partnerId?: string | undefined;
  readonly kind?: string | undefined;
  readonly categoryId?: string | undefined;
}

/** The filters of a scope as query parameters. */
export function scopeArgs(scope: AuditScope): ScopeArgs {
  return {
    p: scope.projectCode,
    partner: scope.partnerId ?? null,
    category: scope.categoryId ?? null,
    kind: scope.figure === 'persons-reached' ? 'service-delivered' : (scope.kind ?? null),
  };
}

/** The parts of a scope's positions after `:after`: records' creations, later events, allocations. */
export interface ScopeParts {
  /** The conditions on a `records r` row. */
  readonly where: string;
  readonly records: string;
  readonly laterEvents: string;
  /** Budget only. */
  readonly allocations: string | null;
  /** Whether `records_scope` (project, kind, partner, position) gives the records in position order. */
  readonly ordered: boolean;
}

export function scopeParts(scope: AuditScope): ScopeParts {
  const args = scopeArgs(scope);
  // Only the conditions asked for, so SQLite can use the scope index (project, kind, partner).
  const when = (on: boolean, condition: string) => (on ? ` and ${condition}` : '');
  const budget = scope.figure === 'budget';
  const where = budget
    ? `r.project_code = ${codeOf(':p')} and r.kind = ${codeOf("'expenditure'")}${when(args.partner !== null, `r.partner_id = ${codeOf(':partner')}`)}${when(args.category !== null, `r.category_id = ${codeOf(':category')}`)}`
    : `r.project_code = ${codeOf(':p')}${args.kind === null ? ` and r.kind is not ${codeOf("'expenditure'")}` : ` and r.kind = ${codeOf(':kind')}`}${when(args.partner !== null, `r.partner_id = ${codeOf(':partner')}`)}`;
  // The later events of the records in scope: looked up per record for a narrow scope; for all the
  // project's services or activities (nearly every record) the later events are read once instead.
  const broad = !budget && args.partner === null && (args.kind === null || args.kind === 'service-delivered');
  return {
    where,
    records: `select position from records r where r.position > :after and ${where}`,
    laterEvents: broad
      ? `select e.position from records_events e cross join records r on r.seq = e.seq where e.position > :after and ${where}`
      : `select e.position from records r cross join records_events e on e.seq = r.seq where e.position > :after and ${where}`,
    allocations: budget
      ? `select position from audit_allocations where position > :after and project_code = :p${when(args.partner !== null, 'partner_id = :partner')}${when(args.category !== null, 'category_id = :category')}`
      : null,
    ordered: (budget || args.kind !== null) && args.partner !== null,
  };
}
