import { RECORDED_EVENT_TYPE } from '@ihl/domain';
import type { BulkTable, BulkTables } from './bulk-tables';
import type { LedgerEvent } from './ledger-events';
import type { Projection } from './projection';
import type { Sql } from './statement-cache';

/** A record waiting for its review, and when the server recorded it (an ISO instant). */
export interface PendingRecordRow {
  readonly recordId: string;
  readonly partnerId: string;
  readonly kind: string;
  readonly recordedAt: string;
}

/** Every activity kind's recorded event (a new kind is checked too), and a declared expenditure. */
const CREATED = [...Object.values(RECORDED_EVENT_TYPE), 'ExpenditureDeclared' as const];
const REVIEWED = [
  'ActivityVerified',
  'ActivityRejected',
  'ActivityVoided',
  'ExpenditureVerified',
  'ExpenditureVoided',
] as const;
/** New values need a new review (activity.state.ts, expenditure.state.ts). */
const CORRECTED = ['ActivityCorrected', 'ExpenditureCorrected'] as const;
/** An inspection's findings wait for their resolution (inspection.state.ts). */
const FINDINGS = ['InspectionRecorded', 'FindingRecorded', 'FindingResolved'] as const;
type Handled =
  | (typeof CREATED)[number]
  | (typeof REVIEWED)[number]
  | (typeof CORRECTED)[number]
  | (typeof FINDINGS)[number]
  | 'ProjectRegistered';

/** A finding not yet resolved, its inspection's partner and its due day. */
export interface OpenFindingRow {
  readonly inspectionId: string;
  readonly findingId: string;
  readonly partnerId: string;
  readonly severity: string;
  readonly dueOn: string;
}

/** The record's id: its stream's id without the `activity-` or `expenditure-` prefix. */
const recordIdOf = (streamId: string) => streamId.slice(streamId.indexOf('-') + 1);

/**
 * What the scheduled checks read that no figure keeps: the records waiting for a review (an
 * activity's verification or rejection, an expenditure's verification; a void ends the wait, a
 * correction of a reviewed record starts a new one),
 * with the server's recorded time, each partner's latest submission, and the projects registered.
 */
export const checkFactsProjection: Projection<LedgerEvent<Handled>> = {
  name: 'checks',
  version: 2,
  tables: ['checks_records', 'checks_submissions', 'checks_projects', 'checks_inspections', 'checks_findings'],
  schema: `
    create table if not exists checks_records (
      record_id text primary key, project_code text not null, partner_id text not null, kind text not null,
      pending_since text
    );
    create index if not exists checks_records_pending on checks_records (project_code, pending_since);
    create table if not exists checks_submissions (
      project_code text not null, partner_id text not null, last_recorded_at text not null,
      primary key (project_code, partner_id)
    );
    create table if not exists checks_projects (project_code text primary key);
    create table if not exists checks_inspections (
      inspection_id text primary key, project_code text not null, partner_id text not null
    );
    create table if not exists checks_findings (
      inspection_id text not null, finding_id text not null, severity text not null, due_on text not null,
      resolved integer not null default 0, primary key (inspection_id, finding_id)
    );
  `,
  handles: [...CREATED, ...REVIEWED, ...CORRECTED, ...FINDINGS, 'ProjectRegistered'],
  evolve: (e, { db }) => applyFact(e, sqlWriter(db)),
  bulk(tables) {
    let to: FactsWriter | null = null;
    return { evolve: (e, db) => applyFact(e, (to ??= bulkWriter(tables, db))) };
  },
};

/** One event's facts, through SQL (live) or into a bulk rebuild's tables. */
function applyFact(e: LedgerEvent<Handled>, to: FactsWriter): void {
  switch (e.type) {
    case 'InspectionRecorded':
      return to.inspection(e.data.inspectionId, e.data.projectCode, e.data.partnerId);
    case 'FindingRecorded':
      return to.finding(e.data.inspectionId, e.data.findingId, e.data.severity, e.data.dueOn);
    case 'FindingResolved':
      return to.resolved(e.data.inspectionId, e.data.findingId);
    case 'ProjectRegistered':
      return to.project(e.data.definition.code);
    case 'ActivityCorrected':
    case 'ExpenditureCorrected':
      // Waiting already: it goes on waiting since then; reviewed: it waits again from now.
      return to.waitsSince(recordIdOf(e.streamId), e.recordedAt);
  }
  const created = createdRecord(e);
  if (!created) return to.reviewed(recordIdOf(e.streamId));
  to.created(recordIdOf(e.streamId), created, e.recordedAt);
  to.submitted(created.projectCode, created.partnerId, e.recordedAt);
}

/**
 * The facts' writes: SQL (live), or a bulk rebuild's in-memory tables, which give the same rows
 * (an `insert or ignore` keeps the row there is; an update of a missing row writes none). The
 * records waiting for a review stay in SQL in bulk too: one row per record, held in memory they
 * would grow the rebuild's memory with the log.
 */
interface FactsWriter {
  project(code: string): void;
  waitsSince(recordId: string, at: string): void;
  reviewed(recordId: string): void;
  created(recordId: string, record: CreatedRecord, at: string): void;
  submitted(projectCode: string, partnerId: string, at: string): void;
  inspection(inspectionId: string, projectCode: string, partnerId: string): void;
  finding(inspectionId: string, findingId: string, severity: string, dueOn: string): void;
  resolved(inspectionId: string, findingId: string): void;
}

function sqlWriter(db: Sql): FactsWriter {
  const run = (sql: string, ...args: unknown[]) => void db.prepare(sql).run(...args);
  return {
    project: (code) => run('insert or ignore into checks_projects values (?)', code),
    waitsSince: (id, at) =>
      run('update checks_records set pending_since = coalesce(pending_since, ?) where record_id = ?', at, id),
    reviewed: (id) => run('update checks_records set pending_since = null where record_id = ?', id),
    created: (id, { projectCode, partnerId, kind }, at) =>
      run('insert or ignore into checks_records values (?, ?, ?, ?, ?)', id, projectCode, partnerId, kind, at),
    submitted: (...row) =>
      run(
        `insert into checks_submissions values (?, ?, ?)
         on conflict (project_code, partner_id) do update set last_recorded_at = max(last_recorded_at, excluded.last_recorded_at)`,
        ...row,
      ),
    inspection: (...row) => run('insert or ignore into checks_inspections values (?, ?, ?)', ...row),
    finding: (...row) => run('insert or ignore into checks_findings values (?, ?, ?, ?, 0)', ...row),
    resolved: (...key) =>
      run('update checks_findings set resolved = 1 where inspection_id = ? and finding_id = ?', ...key),
  };
}

function bulkWriter(bulk: BulkTables, db: Sql): FactsWriter {
  const findings = bulk.table('checks_findings');
  const insertOrIgnore = (table: BulkTable, row: unknown[], keys: number) => {
    if (!table.get(...row.slice(0, keys))) table.put(row);
  };
  return {
    ...sqlWriter(db),
    project: (code) => insertOrIgnore(bulk.table('checks_projects'), [code], 1),
    submitted: (projectCode, partnerId, at) => {
      const submissions = bulk.table('checks_submissions');
      const last = submissions.get(projectCode, partnerId)?.[2] as string | undefined;
      submissions.put([projectCode, partnerId, last !== undefined && last > at ? last : at]);
    },
    inspection: (...row) => insertOrIgnore(bulk.table('checks_inspections'), row, 1),
    finding: (...row) => insertOrIgnore(findings, [...row, 0], 2),
    resolved: (inspectionId, findingId) => {
      const row = findings.get(inspectionId, findingId);
      if (row) findings.put([...row.slice(0, 4), 1]);
    },
  };
}

/** The project's findings not yet resolved, the earliest due first. */
export function openFindings(db: Sql, projectCode: string): OpenFindingRow[] {
  return db
    .prepare(
      `select f.inspection_id as inspectionId, f.finding_id as findingId, i.partner_id as partnerId,
              f.severity as severity, f.due_on as dueOn
       from checks_findings f join checks_inspections i on i.inspection_id = f.inspection_id
       where i.project_code = ? and f.resolved = 0 order by f.due_on, f.inspection_id, f.finding_id`,
    )
    .all(projectCode) as OpenFindingRow[];
}

/** The project, partner and kind of a record the event creates; null for an event that ends a wait. */
interface CreatedRecord {
  readonly projectCode: string;
  readonly partnerId: string;
  readonly kind: string;
}

function createdRecord(e: LedgerEvent<Exclude<Handled, (typeof FINDINGS)[number]>>): CreatedRecord | null {
  switch (e.type) {
    case 'ProjectRegistered':
    case 'ActivityCorrected':
    case 'ExpenditureCorrected':
    case 'ActivityVerified':
    case 'ActivityRejected':
    case 'ActivityVoided':
    case 'ExpenditureVerified':
    case 'ExpenditureVoided':
      return null;
    case 'ExpenditureDeclared':
      return { projectCode: e.data.projectCode, partnerId: e.data.partnerId, kind: 'expenditure' };
    default:
      return { projectCode: e.data.projectCode, partnerId: e.data.partnerId, kind: e.data.fields.kind };
  }
}

/** The project's records waiting for a review, the longest waiting first. */
export function pendingRecords(db: Sql, projectCode: string): PendingRecordRow[] {
  return db
    .prepare(
      `select record_id as recordId, partner_id as partnerId, kind, pending_since as recordedAt
       from checks_records where project_code = ? and pending_since is not null order by pending_since, record_id`,
    )
    .all(projectCode) as PendingRecordRow[];
}

/** When each partner of the project last submitted a record (an ISO instant). */
export function lastSubmissions(db: Sql, projectCode: string): Map<string, string> {
  const rows = db
    .prepare('select partner_id as partnerId, last_recorded_at as at from checks_submissions where project_code = ?')
    .all(projectCode) as { partnerId: string; at: string }[];
  return new Map(rows.map((r) => [r.partnerId, r.at]));
}

/** Every registered project's code, in order (the scheduled checks run for each). */
export function checkedProjects(db: Sql): string[] {
  const rows = db.prepare('select project_code as code from checks_projects order by project_code').all() as {
    code: string;
  }[];
  return rows.map((r) => r.code);
}
