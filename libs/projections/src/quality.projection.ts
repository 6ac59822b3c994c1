import type { LedgerEvent } from './ledger-events';
import type { Projection } from './projection';
import type { Sql } from './statement-cache';

const INSPECTIONS = ['InspectionRecorded', 'FindingRecorded', 'FindingResolved'] as const;
type Handled = (typeof INSPECTIONS)[number];

/**
 * The quality records of a project as lists read them (docs/quality.md): one row per inspection
 * and per finding. Its tables are kept with their history by default (as-of-tables.ts), so a list
 * answers as of a point like every other.
 */
export const qualityProjection: Projection<LedgerEvent<Handled>> = {
  name: 'quality',
  version: 1,
  tables: ['quality_inspections', 'quality_findings'],
  schema: `
    create table if not exists quality_inspections (
      inspection_id text primary key, project_code text not null, partner_id text not null, kind text not null,
      started_on text not null, ended_on text not null, scope text not null
    );
    create index if not exists quality_inspections_list on quality_inspections (project_code, started_on, inspection_id);
    create table if not exists quality_findings (
      inspection_id text not null, finding_id text not null, severity text not null, due_on text not null,
      resolved_on text, primary key (inspection_id, finding_id)
    );
  `,
  handles: [...INSPECTIONS],
  evolve(e, { db }): void {
    switch (e.type) {
      case 'InspectionRecorded': {
        const { inspectionId, projectCode, partnerId, kind, startedOn, endedOn, scope } = e.data;
        db.prepare('insert or ignore into quality_inspections values (?, ?, ?, ?, ?, ?, ?)').run(
          inspectionId,
          projectCode,
          partnerId,
          kind,
          startedOn,
          endedOn,
          scope,
        );
        return;
      }
      case 'FindingRecorded': {
        const { inspectionId, findingId, severity, dueOn } = e.data;
        db.prepare('insert or ignore into quality_findings values (?, ?, ?, ?, null)').run(
          inspectionId,
          findingId,
          severity,
          dueOn,
        );
        return;
      }
      case 'FindingResolved':
        db.prepare('update quality_findings set resolved_on = ? where inspection_id = ? and finding_id = ?').run(
          e.data.resolvedOn,
          e.data.inspectionId,
          e.data.findingId,
        );
    }
  },
};

/** An inspection as the list shows it, with its findings counted on the list's day. */
export interface InspectionListRow {
  readonly inspectionId: string;
  readonly partnerId: string;
  readonly kind: string;
  readonly scope: string;
  readonly startedOn: string;
  readonly endedOn: string;
  readonly findings: number;
  readonly openFindings: number;
  readonly overdueFindings: number;
}

/** `open`: some finding is not resolved; `overdue`: one is past its due day; `closed`: none open. */
export const INSPECTION_LIST_STATUSES = ['all', 'open', 'overdue', 'closed'] as const;
export type InspectionListStatus = (typeof INSPECTION_LIST_STATUSES)[number];

export interface InspectionListRequest {
  readonly projectCode: string;
  readonly partnerId?: string | undefined;
  readonly status: InspectionListStatus;
  /** The day overdue is counted on. */
  readonly today: string;
  /** Where the last page ended (its last row's first day and id); null: from the start. */
  readonly after: { readonly startedOn: string; readonly inspectionId: string } | null;
  readonly limit: number;
}

const STATUS_WHERE: Record<InspectionListStatus, string> = {
  all: '',
  open: 'and openFindings > 0',
  overdue: 'and overdueFindings > 0',
  closed: 'and openFindings = 0',
};

/** A page of the project's inspections, the earliest first (by first day, then id). */
export function inspectionsPage(db: Sql, r: InspectionListRequest): InspectionListRow[] {
  const after = r.after ?? { startedOn: '', inspectionId: '' };
  return db
    .prepare(
      `select * from (
         select i.inspection_id as inspectionId, i.partner_id as partnerId, i.kind, i.scope,
                i.started_on as startedOn, i.ended_on as endedOn,
                (select count(*) from quality_findings f where f.inspection_id = i.inspection_id) as findings,
                (select count(*) from quality_findings f
                  where f.inspection_id = i.inspection_id and f.resolved_on is null) as openFindings,
                (select count(*) from quality_findings f
                  where f.inspection_id = i.inspection_id and f.resolved_on is null and f.due_on < ?) as overdueFindings
         from quality_inspections i
         where i.project_code = ? and (? is null or i.partner_id = ?)
           and (i.started_on, i.inspection_id) > (?, ?)
       ) where 1 = 1 ${STATUS_WHERE[r.status]}
       order by startedOn, inspectionId limit ?`,
    )
    .all(
      r.today,
      r.projectCode,
      r.partnerId ?? null,
      r.partnerId ?? null,
      after.startedOn,
      after.inspectionId,
      r.limit,
    ) as InspectionListRow[];
}
