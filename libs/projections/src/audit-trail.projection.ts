import type { LedgerEvent } from './ledger-events';
import type { Projection } from './projection';
import { codeOf } from './record-index';
import type { Sql } from './statement-cache';

/**
 * The position of every allocation. With the shared `records` table (each record's creation
 * position, project, partner, kind and category) and `records_events` (the position of every later
 * event of a record), it lets the audit trail page through a figure's events in SQL and read only
 * the events of the page from the store, so its cost does not grow with the log.
 */
export const auditTrailProjection: Projection<LedgerEvent<'AllocationSet'>> = {
  name: 'audit',
  version: 2,
  tables: ['audit_allocations'],
  schema: `
    create table if not exists audit_allocations (
      position integer primary key, project_code text not null, partner_id text not null, category_id text not null
    );
  `,
  handles: ['AllocationSet'],
  evolve(e, { db }): void {
    db.prepare('insert or ignore into audit_allocations values (?, ?, ?, ?)').run(
      e.position,
      e.streamId.slice('project-'.length),
      e.data.partnerId,
      e.data.categoryId,
    );
  },
};

export interface AuditScope {
  readonly projectCode: string;
  /** 'persons-reached' (service records), 'volumes' (every activity record) or 'budget'. */
  readonly figure: 'persons-reached' | 'volumes' | 'budget';
  readonly partnerId?: string | undefined;
  readonly kind?: string | undefined;
  readonly categoryId?: string | undefined;
}

/** One page of the positions behind a figure, in log order, and how many there are in all. */
export function auditPage(
  db: Sql,
  scope: AuditScope,
  page: number,
  pageSize: number,
): { total: number; positions: number[] } {
  const kind = scope.figure === 'persons-reached' ? 'service-delivered' : (scope.kind ?? null);
  const args = {
    p: scope.projectCode,
    partner: scope.partnerId ?? null,
    category: scope.categoryId ?? null,
    kind,
  };
  // Only the conditions asked for, so SQLite can use the scope index (project, kind, partner).
  const when = (on: boolean, condition: string) => (on ? ` and ${condition}` : '');
  const budget = scope.figure === 'budget';
  const where = budget
    ? `r.project_code = ${codeOf(':p')} and r.kind = ${codeOf("'expenditure'")}${when(args.partner !== null, `r.partner_id = ${codeOf(':partner')}`)}${when(args.category !== null, `r.category_id = ${codeOf(':category')}`)}`
    : `r.project_code = ${codeOf(':p')}${kind === null ? ` and r.kind is not ${codeOf("'expenditure'")}` : ` and r.kind = ${codeOf(':kind')}`}${when(args.partner !== null, `r.partner_id = ${codeOf(':partner')}`)}`;
  // The later events of the records in scope: looked up per record for a narrow scope; for all the
  // project's services or activities (nearly every record) the later events are read once instead.
  const broad = !budget && args.partner === null && (kind === null || kind === 'service-delivered');
  const laterEvents = broad
    ? `select e.position from records_events e cross join records r on r.seq = e.seq where ${where}`
    : `select e.position from records r cross join records_events e on e.seq = r.seq where ${where}`;
  const records = `select position from records r where ${where} union all ${laterEvents}${
    budget
      ? ` union all select position from audit_allocations where project_code = :p${when(args.partner !== null, 'partner_id = :partner')}${when(args.category !== null, 'category_id = :category')}`
      : ''
  }`;
  const total = (db.prepare(`select count(*) as n from (${records})`).get(args) as { n: number }).n;
  const positions = (
    db.prepare(`select position from (${records}) order by position limit :limit offset :offset`).all({
      ...args,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    }) as { position: number }[]
  ).map((r) => r.position);
  return { total, positions };
}
