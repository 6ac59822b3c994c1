import type Database from 'better-sqlite3';
import type { StoredEvent } from '@ihl/event-store';
import type { Projection } from './projection';
import { statement } from './statement-cache';

/**
 * The position of every event of every activity and expenditure record, and of every allocation,
 * with what each record is (project, partner, kind, budget category). The audit trail pages
 * through these in SQL and reads only the events of the page from the store, so its cost does not
 * grow with the log.
 */
export const auditTrailProjection: Projection = {
  name: 'audit',
  version: 1,
  tables: ['audit_records', 'audit_events', 'audit_allocations'],
  schema: `
    create table if not exists audit_records (
      stream_id    text primary key,
      project_code text not null,
      partner_id   text not null,
      kind         text not null,
      category_id  text
    );
    create index if not exists audit_records_scope on audit_records (project_code, kind, partner_id);
    create table if not exists audit_events (position integer primary key, stream_id text not null);
    create index if not exists audit_events_stream on audit_events (stream_id, position);
    create table if not exists audit_allocations (
      position integer primary key, project_code text not null, partner_id text not null, category_id text not null
    );
  `,
  apply(db: Database.Database, e: StoredEvent): void {
    const d = e.data as {
      projectCode?: string;
      partnerId?: string;
      categoryId?: string;
      fields?: { kind?: string; categoryId?: string };
    };
    if (e.type === 'AllocationSet') {
      statement(db, 'insert or ignore into audit_allocations values (?, ?, ?, ?)').run(
        e.position,
        e.streamId.slice('project-'.length),
        d.partnerId,
        d.categoryId,
      );
      return;
    }
    const isActivity = e.streamId.startsWith('activity-');
    if (!isActivity && !e.streamId.startsWith('expenditure-')) return;
    if (e.revision === 0 && d.projectCode && d.partnerId) {
      statement(db, 'insert or ignore into audit_records values (?, ?, ?, ?, ?)').run(
        e.streamId,
        d.projectCode,
        d.partnerId,
        isActivity ? (d.fields?.kind ?? 'unknown') : 'expenditure',
        isActivity ? null : (d.fields?.categoryId ?? null),
      );
    } else if (e.type === 'ExpenditureCorrected' && d.fields?.categoryId) {
      // A corrected category moves the whole record, as in the budget figures.
      statement(db, 'update audit_records set category_id = ? where stream_id = ?').run(
        d.fields.categoryId,
        e.streamId,
      );
    }
    statement(db, 'insert or ignore into audit_events values (?, ?)').run(e.position, e.streamId);
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
  db: Database.Database,
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
  const records =
    scope.figure === 'budget'
      ? `select e.position from audit_events e join audit_records r on r.stream_id = e.stream_id
         where r.project_code = :p and r.kind = 'expenditure' and (:partner is null or r.partner_id = :partner)
           and (:category is null or r.category_id = :category)
         union all
         select position from audit_allocations where project_code = :p and (:partner is null or partner_id = :partner)
           and (:category is null or category_id = :category)`
      : `select e.position from audit_events e join audit_records r on r.stream_id = e.stream_id
         where r.project_code = :p and r.kind != 'expenditure' and (:kind is null or r.kind = :kind)
           and (:partner is null or r.partner_id = :partner)`;
  const total = (statement(db, `select count(*) as n from (${records})`).get(args) as { n: number }).n;
  const positions = (
    statement(db, `select position from (${records}) order by position limit :limit offset :offset`).all({
      ...args,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    }) as { position: number }[]
  ).map((r) => r.position);
  return { total, positions };
}
