import { codeOf } from './record-index';
import type { Sql } from './statement-cache';

/**
 * Every `AUDIT_MARK_EVERY`-th event of a project's records (creations and later events, in log
 * order) is a mark: its position and, per (kind, partner), how many of the project's record events
 * are at or before it. A record's project, kind and partner never change (only its category) and
 * no event ever leaves `records`/`records_events`, so a mark's counts stay true for good: a page by
 * number starts from the last mark before it and reads at most a mark's span of positions forward.
 * Only the keys counted so far have a row. Append-only: as of a point, the marks before it.
 */
export const AUDIT_MARK_EVERY = 1024;

/** The filters of an audit scope as the page query applies them (null: not narrowed). */
export interface ScopeArgs {
  readonly p: string;
  readonly partner: string | null;
  readonly category: string | null;
  readonly kind: string | null;
}

export const AUDIT_MARKS_SCHEMA = `
  create table if not exists audit_marks (
    project_code integer not null, mark integer not null, kind integer not null, partner_id integer not null,
    position integer not null, n integer not null, primary key (project_code, mark, kind, partner_id)
  ) without rowid;
`;

const INSERT = 'insert into audit_marks values (?, ?, ?, ?, ?, ?)';

/** The record events after the counted head (records by seq, later events by position). */
const NEW_EVENTS = `
  select project_code, kind, partner_id, position from records where seq > :seq
  union all
  select r.project_code, r.kind, r.partner_id, e.position from records_events e cross join records r on r.seq = e.seq
    where e.position > :position`;

type Key = { kind: number; partner_id: number };
const joined = (k: Key) => `${k.kind} ${k.partner_id}`;

function writeMark(db: Sql, project: number, mark: number, position: number, keys: Map<string, number>): void {
  const insert = db.prepare(INSERT);
  for (const [key, n] of keys) {
    const [kind, partner] = key.split(' ').map(Number);
    insert.run(project, mark, kind, partner, position, n);
  }
}

/**
 * The marks the batch's new record events reach, before `audit_counts` takes them (it then holds
 * the counts up to the counted head). `added`: the new events counted per scope, as the counts read
 * them (their project and how many). Only a project crossing a mark has its events walked.
 */
export function commitAuditMarks(
  db: Sql,
  counted: { seq: number; position: number },
  added: readonly { project_code: number; n: number }[],
  every: number,
): void {
  const perProject = new Map<number, number>();
  for (const g of added) perProject.set(g.project_code, (perProject.get(g.project_code) ?? 0) + g.n);
  for (const [p, n] of perProject) {
    const keys = new Map<string, number>();
    const had = db
      .prepare('select kind, partner_id, sum(n) as n from audit_counts where project_code = ? group by 1, 2')
      .all(p) as (Key & { n: number })[];
    let total = 0;
    for (const k of had) {
      keys.set(joined(k), k.n);
      total += k.n;
    }
    if (Math.floor((total + n) / every) === Math.floor(total / every)) continue;
    const events = db
      .prepare(`select kind, partner_id, position from (${NEW_EVENTS}) where project_code = :p order by position`)
      .all({ ...counted, p }) as (Key & { position: number })[];
    for (const e of events) {
      keys.set(joined(e), (keys.get(joined(e)) ?? 0) + 1);
      if (++total % every === 0) writeMark(db, p, total / every, e.position, keys);
    }
  }
}

/** A bulk rebuild's marks: the same rows, from each record event as it is applied. */
export function marksInBulk(every: number): (db: Sql, codes: readonly number[], position: number) => void {
  const projects = new Map<number, { total: number; keys: Map<string, number> }>();
  return (db, [project, kind, partner], position) => {
    let counts = projects.get(project!);
    if (!counts) projects.set(project!, (counts = { total: 0, keys: new Map() }));
    const key = `${kind} ${partner}`;
    counts.keys.set(key, (counts.keys.get(key) ?? 0) + 1);
    if (++counts.total % every === 0) writeMark(db, project!, counts.total / every, position, counts.keys);
  };
}

/** Where a page by number starts reading: after `position`, with `rank` of the scope's events at or before it. */
export interface MarkStart {
  readonly position: number;
  readonly rank: number;
}

/**
 * The last mark with at most `skip` of the scope's events at or before it (a binary search over
 * the project's marks, each summed over its few keys); position 0 when none. Not for a budget
 * scope narrowed to a category: a record's category can change, so marks do not key it.
 */
export function markAtOrBelow(db: Sql, args: ScopeArgs, budget: boolean, skip: number): MarkStart {
  const kind = budget
    ? `kind = ${codeOf("'expenditure'")}`
    : args.kind === null
      ? `kind is not ${codeOf("'expenditure'")}`
      : `kind = ${codeOf(':kind')}`;
  const partner = args.partner === null ? '' : ` and partner_id = ${codeOf(':partner')}`;
  const allocations = budget
    ? ` + (select count(*) from audit_allocations a where a.position <= at_position and a.project_code = :p${args.partner === null ? '' : ' and a.partner_id = :partner'})`
    : '';
  const at = db.prepare(
    `select at_position as position, n${allocations} as rank from (
      select max(position) as at_position, ifnull(sum(case when ${kind}${partner} then n end), 0) as n
      from audit_marks where project_code = ${codeOf(':p')} and mark = :mark)`,
  );
  const last = db
    .prepare(`select ifnull(max(mark), 0) as n from audit_marks where project_code = ${codeOf(':p')}`)
    .get(args) as { n: number };
  let best: MarkStart = { position: 0, rank: 0 };
  let lo = 1;
  let hi = last.n;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const mark = at.get({ ...args, mark: mid }) as MarkStart;
    if (mark.rank <= skip) {
      best = mark;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}
