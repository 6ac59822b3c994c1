import { commitAuditMarks, marksInBulk, type ScopeArgs } from './audit-marks';
import type { BulkTables } from './bulk-tables';
import type { LedgerRecord, RecordChange } from './ledger-record';
import { codeOf } from './record-index';
import type { Sql } from './statement-cache';

export type { ScopeArgs };

/**
 * How many events stand behind each audit scope, kept as events arrive so that an audit page's
 * total is a read of a few rows, not a count of the scope. A record's events (its creation and every
 * later event, `records` and `records_events`) count in the scope of its current values: project,
 * kind, partner and category (0 when it has none). Allocations count apart, by their texts.
 */
export const AUDIT_COUNTS_SCHEMA = `
  create table if not exists audit_counts (
    project_code integer not null, kind integer not null, partner_id integer not null, category_id integer not null,
    n integer not null, primary key (project_code, kind, partner_id, category_id)
  ) without rowid;
  create table if not exists audit_allocation_counts (
    project_code text not null, partner_id text not null, category_id text not null, n integer not null,
    primary key (project_code, partner_id, category_id)
  ) without rowid;
  create table if not exists audit_counted (id integer primary key check (id = 1), seq integer not null, position integer not null);
`;

/** The scope a record counted in before this batch moved it (only its category can change). */
type RecordScope = Pick<LedgerRecord, 'projectCode' | 'kind' | 'partnerId' | 'categoryId'>;

/** Over one batch: the records counted earlier whose scope changed, with the scope they counted in. */
export interface AuditBatch {
  readonly moved: Map<number, RecordScope>;
}

export const sameScope = (a: RecordScope, b: RecordScope): boolean =>
  a.projectCode === b.projectCode && a.kind === b.kind && a.partnerId === b.partnerId && a.categoryId === b.categoryId;

const ADD = `insert into audit_counts (project_code, kind, partner_id, category_id, n) values (?, ?, ?, ?, ?)
  on conflict do update set n = n + excluded.n`;
/** Records and later events not counted yet, grouped by the scope of their record's current values. */
const GROUPED_NEW = `
  select project_code, kind, partner_id, ifnull(category_id, 0) as category, count(*) as n from (
    select project_code, kind, partner_id, category_id from records where seq > :seq
    union all
    select r.project_code, r.kind, r.partner_id, r.category_id
      from records_events e cross join records r on r.seq = e.seq where e.position > :position
  ) group by 1, 2, 3, 4`;

type Counted = { seq: number; position: number };

/**
 * Counts what the batch added, after moving the records whose scope it changed, and writes the
 * marks it reached (audit-marks.ts, every `markEvery`-th event of a project); inside the batch's transaction.
 */
export function commitAuditCounts(batch: AuditBatch, db: Sql, markEvery: number): void {
  const counted = (db.prepare('select seq, position from audit_counted').get() as Counted | undefined) ?? {
    seq: 0,
    position: 0,
  };
  type Group = { project_code: number; kind: number; partner_id: number; category: number; n: number };
  // Read once: the marks and the counts both take the new events from it.
  const added = db.prepare(GROUPED_NEW).all(counted) as Group[];
  commitAuditMarks(db, counted, added, markEvery);
  for (const [seq, scope] of batch.moved) if (seq <= counted.seq) moveRecord(db, seq, scope, counted.position);
  // A scope left empty has no row, as in a replay that never counted there (same tables either way).
  if (batch.moved.size > 0) db.prepare('delete from audit_counts where n = 0').run();
  for (const g of added) db.prepare(ADD).run(g.project_code, g.kind, g.partner_id, g.category, g.n);
  const head = db
    .prepare(
      `select (select ifnull(max(seq), 0) from records) as seq,
        (select ifnull(max(position), :position) from records_events) as position`,
    )
    .get(counted) as Counted;
  db.prepare('insert or replace into audit_counted values (1, ?, ?)').run(head.seq, head.position);
}

/**
 * A bulk rebuild's counts (the same rows as `commitAuditCounts` gives after each event): `count`
 * puts a record's event in the scope of its current values; a record whose scope changed takes its
 * earlier events along, and a scope left empty loses its row. `audit_counted` ends at the last
 * record and later event; `start` is where they stand before any record, as `commitAuditCounts`
 * leaves them at its first batch. Holds one number per record (its events so far), 8 bytes. The
 * marks are written through SQL as they are reached (one per `markEvery` events of a project).
 */
export function countsInBulk(
  bulk: BulkTables,
  markEvery: number,
): { start(): void; count(change: RecordChange, db: Sql): void } {
  const eventsOfRecord: number[] = [];
  const mark = marksInBulk(markEvery);
  const counts = bulk.table('audit_counts');
  const head = bulk.table('audit_counted');
  const scope = (r: RecordScope) => [
    bulk.codeOf(r.projectCode),
    bulk.codeOf(r.kind),
    bulk.codeOf(r.partnerId),
    r.categoryId === null ? 0 : bulk.codeOf(r.categoryId),
  ];
  return {
    start(): void {
      if (!head.get(1)) head.put([1, 0, 0]);
    },
    count({ before, after }, db): void {
      mark(db, scope(after), bulk.position);
      const was = before ? eventsOfRecord[after.seq]! : 0;
      eventsOfRecord[after.seq] = was + 1;
      if (before && !sameScope(before, after)) {
        const left = counts.add(scope(before), [-was]);
        if (left[4] === 0) counts.delete(...left.slice(0, 4));
        counts.add(scope(after), [was + 1]);
      } else counts.add(scope(after), [1]);
      const last = head.get(1) ?? [1, 0, 0];
      head.put([1, Math.max(after.seq, last[1] as number), before ? bulk.position : last[2]]);
    },
  };
}

/** Takes a counted record's counted events out of the scope they were in and into its current one. */
function moveRecord(db: Sql, seq: number, was: RecordScope, position: number): void {
  const { n } = db
    .prepare('select 1 + count(*) as n from records_events where seq = ? and position <= ?')
    .get(seq, position) as { n: number };
  db.prepare(
    `update audit_counts set n = n - :n where project_code = ${codeOf(':project')} and kind = ${codeOf(':kind')}
      and partner_id = ${codeOf(':partner')} and category_id = ifnull(${codeOf(':category')}, 0)`,
  ).run({ n, project: was.projectCode, kind: was.kind, partner: was.partnerId, category: was.categoryId });
  db.prepare(
    `insert into audit_counts (project_code, kind, partner_id, category_id, n)
      select project_code, kind, partner_id, ifnull(category_id, 0), ? from records where seq = ?
      on conflict do update set n = n + excluded.n`,
  ).run(n, seq);
}

/** One more allocation event in its cell. */
export function countAllocation(db: Sql, projectCode: string, partnerId: string, categoryId: string): void {
  db.prepare(`insert into audit_allocation_counts values (?, ?, ?, 1) on conflict do update set n = n + 1`).run(
    projectCode,
    partnerId,
    categoryId,
  );
}

/** How many events are behind a scope: a sum over the few count rows it covers (partners × categories at most). */
export function auditTotal(db: Sql, args: ScopeArgs, budget: boolean): number {
  const when = (on: boolean, condition: string) => (on ? ` and ${condition}` : '');
  const partner = when(args.partner !== null, `partner_id = ${codeOf(':partner')}`);
  const where = budget
    ? `kind = ${codeOf("'expenditure'")}${partner}${when(args.category !== null, `category_id = ${codeOf(':category')}`)}`
    : `${args.kind === null ? `kind is not ${codeOf("'expenditure'")}` : `kind = ${codeOf(':kind')}`}${partner}`;
  const records = `select ifnull(sum(n), 0) from audit_counts where project_code = ${codeOf(':p')} and ${where}`;
  const allocations = budget
    ? ` + (select ifnull(sum(n), 0) from audit_allocation_counts where project_code = :p${when(args.partner !== null, 'partner_id = :partner')}${when(args.category !== null, 'category_id = :category')})`
    : '';
  return (db.prepare(`select (${records})${allocations} as n`).get(args) as { n: number }).n;
}
