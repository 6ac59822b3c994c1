import type Database from 'better-sqlite3';
import { RECORD_TEXT_VIEW } from './record-columns';
import type { Projection } from './projection';
import type { Sql } from './statement-cache';
import {
  READ_POSITION,
  WRITE_POSITION,
  appendOnlyView,
  asOfView,
  createVersionIndexes,
  createVersionedTable,
  type AppendOnlyTable,
  type VersionedTable,
} from './versioned-tables';

/**
 * Every read-model table a figure reads, kept with its history (versioned-tables.ts), so a figure as
 * of a past position is the same query on the rows that held then. Tables only the projections read
 * (profiles, birth dates, the caseload's persons) have none.
 */
const VERSIONED: readonly VersionedTable[] = [
  {
    table: 'records',
    from: 'position',
    scan: true,
    reads: [
      ['project_code', 'kind', 'partner_id', 'position'],
      ['seq', 'position'],
    ],
  },
  { table: 'budget_projects' },
  { table: 'budget_allocations' },
  { table: 'budget_lines' },
  { table: 'budget_months' },
  { table: 'budget_totals' },
  { table: 'volumes_sums' },
  { table: 'volumes_workers' },
  // By pseudonym: an erasure rewrites the person's versions.
  { table: 'reach_persons', reads: [['pseudonym']], grouped: true },
  { table: 'reach_own', reads: [['pseudonym']], grouped: true },
  { table: 'audit_counts' },
  { table: 'audit_allocation_counts' },
];

const APPEND_ONLY: readonly AppendOnlyTable[] = [
  { table: 'records_events', position: 'position' },
  { table: 'audit_allocations', position: 'position' },
  // A mark's counts stay true: as of a point, the marks at or before it.
  { table: 'audit_marks', position: 'position' },
];

/**
 * The tallies as of a point are counted from the persons' rows then, not kept with a history: an
 * erasure turns an erased person's attributes to "unknown" in every version of their rows (what a
 * replay without their key gives), which the tallies' old versions would still count otherwise.
 * Cells as in persons-reached-rows.ts: project-wide for the partner of the first service and '*'.
 */
const DIMS = ['all', 'target-group', 'service', 'setting', 'sex', 'disability', 'age', 'month'];
const MONTH_DIMS = ['sex', 'disability', 'age'];
const month = 'substr(r.first_on, 1, 7)';
const KEY = `case c.dim when 'all' then '' when 'target-group' then r.target_group when 'service' then r.service
  when 'setting' then r.setting when 'sex' then r.sex when 'disability' then r.disability when 'age' then r.age
  when 'month' then ${month} ${MONTH_DIMS.map((d) => `when 'month-${d}' then ${month} || '|' || r.${d}`).join(' ')} end`;
const CELLS = [...DIMS, ...MONTH_DIMS.map((d) => `month-${d}`)].map((d) => `select '${d}' as dim`).join(' union all ');
/** `projectWide`: each person counts for the partner of the first service and for '*'. */
const tallyView = (name: string, persons: string, projectWide: boolean) => `
  create temp view ${name} as
    select r.project_code, ${projectWide ? "case w.i when 0 then r.partner_id else '*' end" : 'r.partner_id'} as partner_id,
      c.dim, ${KEY} as key, count(*) as n
    from ${persons} r cross join (select 0 as i${projectWide ? ' union all select 1' : ''}) w cross join (${CELLS}) c
    group by 1, 2, 3, 4`;
const TALLY_VIEWS = [
  tallyView('reach_tallies', 'reach_persons', true),
  tallyView('reach_own_tallies', 'reach_own', false),
];

/**
 * Tables nothing reads as of a point (profiles, the caseload's persons, what a projection keeps for
 * itself), counted from others (the tallies) or append-only: no history.
 */
const WITHOUT_HISTORY = new Set([
  // The checks' facts are read live only (the worker's run of checks), never as of a point.
  'checks_records',
  'checks_submissions',
  'checks_projects',
  'reach_profiles',
  'reach_births',
  'reach_erasures',
  'reach_tallies',
  'reach_own_tallies',
  'volumes_caseload',
  'audit_counted',
  'timeline_hours',
  ...APPEND_ONLY.map((t) => t.table),
]);

/**
 * The history tables and their triggers (the read-model tables exist already): those above, and by
 * default every other table of a projection, so a new read model answers as of a point too.
 */
export function createAsOfTables(db: Database.Database, projections: readonly Projection[] = []): void {
  db.exec(WRITE_POSITION.schema);
  for (const spec of VERSIONED) createVersionedTable(db, spec);
  const listed = new Set(VERSIONED.map((v) => v.table));
  for (const table of projections.flatMap((p) => p.tables))
    if (WITHOUT_HISTORY.has(table))
      for (const kept of [`${table}_v`, `${table}_k`]) db.exec(`drop table if exists ${kept}`);
    else if (!listed.has(table)) createVersionedTable(db, { table });
}

/**
 * A bulk rebuild writes the versions of `records` (one or more per record) without their read
 * indexes, which are built once at its end. The persons' versions keep theirs: an erasure looks
 * them up by pseudonym.
 */
export function dropDeferredVersionIndexes(db: Database.Database): void {
  for (const spec of VERSIONED)
    if (spec.scan) (spec.reads ?? []).forEach((_, i) => db.exec(`drop index if exists ${spec.table}_v_r${i}`));
}

export function createDeferredVersionIndexes(db: Database.Database): void {
  for (const spec of VERSIONED) if (spec.scan) createVersionIndexes(db, spec);
}

/** The temp views through which a connection reads the read models as of `position()`. */
export function createAsOfViews(db: Database.Database, position: () => number): void {
  db.function(READ_POSITION, { deterministic: false }, position);
  const listed = new Map(VERSIONED.map((v) => [v.table, v] as const));
  // Every table kept with a history (`<table>_v` beside it): the listed ones, and the defaults.
  const kept = db
    .prepare(
      "select substr(name, 1, length(name) - 2) as t from sqlite_master where type = 'table' and name like '%\\_v' escape '\\'",
    )
    .all() as { t: string }[];
  for (const { t } of kept) db.exec(asOfView(db, listed.get(t) ?? { table: t }));
  for (const spec of APPEND_ONLY) db.exec(appendOnlyView(spec));
  // Over the temp `records`: a temp view's names resolve in the temp schema first.
  db.exec(RECORD_TEXT_VIEW.replace('create view if not exists', 'create temp view'));
  for (const view of TALLY_VIEWS) db.exec(view);
}

/**
 * At a person's erasure, their attributes in every earlier version of their rows become "unknown":
 * what a replay gives once their key is gone, so an answer as of any point matches a replay.
 */
export function eraseProfileVersions(db: Sql, pseudonym: string): void {
  // The versions written, and those the transaction's log will write.
  for (const table of ['main.reach_persons_v', 'main.reach_own_v', 'temp.reach_persons_vlog', 'temp.reach_own_vlog'])
    db.prepare(`update ${table} set sex = 'unknown', age = 'unknown', disability = 'unknown' where pseudonym = ?`).run(
      pseudonym,
    );
}
