import {
  ACTIVITY_KINDS,
  type ListedRecord,
  type QueuedRecord,
  type RecordCursor,
  type RecordListFilter,
  type RecordSort,
} from '@ihl/domain';
import { REVIEW_NUMBERS } from './record-columns';
import { codeOf } from './record-index';
import type { RecordReview } from './ledger-record';
import type { Sql } from './statement-cache';

export {
  RECORD_SORTS,
  RECORD_STATES,
  type ListedRecord,
  type QueuedRecord,
  type RecordCursor,
  type RecordListFilter,
  type RecordSort,
  type RecordState,
} from '@ihl/domain';

const text = (column: string) => `(select text from records_codes where code = r.${column})`;
const COLUMNS = `r.seq, r.record_id, ${text('kind')} as kind, ${text('partner_id')} as partner_id, r.occurred_on,
  r.position, r.recorded_at, r.voided, r.review, ${text('service')} as service, ${text('setting')} as setting,
  ${text('target_group')} as target_group, ${text('worker_ref')} as worker_ref, r.minutes, r.people, r.quantity,
  ${text('category_id')} as category_id, r.document_ref, r.cents, r.eligible_cents, r.ineligible_cents, r.verdict_note, r.reported_in,
  ${text('ineligible_reason')} as ineligible_reason`;

interface Row {
  readonly seq: number;
  readonly record_id: string;
  readonly kind: string;
  readonly partner_id: string;
  readonly occurred_on: string;
  readonly position: number;
  readonly recorded_at: string;
  readonly voided: number;
  readonly review: number;
  readonly service: string | null;
  readonly setting: string | null;
  readonly target_group: string | null;
  readonly worker_ref: string | null;
  readonly minutes: number;
  readonly people: number;
  readonly quantity: number;
  readonly category_id: string | null;
  readonly document_ref: string | null;
  readonly cents: number;
  readonly eligible_cents: number | null;
  readonly ineligible_cents: number | null;
  readonly verdict_note: string | null;
  readonly reported_in: string | null;
  readonly ineligible_reason: string | null;
}

const REVIEW_OF = Object.fromEntries(Object.entries(REVIEW_NUMBERS).map(([k, v]) => [v, k])) as Record<
  number,
  RecordReview
>;

function listed(r: Row): ListedRecord {
  return {
    id: r.record_id,
    kind: r.kind,
    partnerId: r.partner_id,
    occurredOn: r.occurred_on,
    position: r.position,
    recordedAt: r.recorded_at,
    state: r.voided ? 'voided' : (REVIEW_OF[r.review] ?? 'pending'),
    service: r.service,
    setting: r.setting,
    targetGroup: r.target_group,
    workerRef: r.worker_ref,
    minutes: r.minutes,
    people: r.people,
    quantity: r.quantity,
    categoryId: r.category_id,
    documentRef: r.document_ref,
    amountCents: r.cents,
    eligibleCents: r.eligible_cents,
    ineligibleCents: r.ineligible_cents,
    verdictNote: r.verdict_note,
    ...(r.reported_in !== null ? { reportedIn: r.reported_in } : {}),
    ...(r.ineligible_reason !== null ? { ineligibleReason: r.ineligible_reason } : {}),
  };
}

/** The conditions of a filter on `records r` (only those asked for, so SQLite can pick a list index). */
function conditions(f: RecordListFilter): string[] {
  const on: string[] = [`r.project_code = ${codeOf(':p')}`, `r.cls = ${f.records === 'activities' ? 0 : 1}`];
  if (f.partnerId !== undefined) on.push(`r.partner_id = ${codeOf(':partner')}`);
  if (f.kind !== undefined) on.push(`r.kind = ${codeOf(':kind')}`);
  if (f.categoryId !== undefined) on.push(`r.category_id = ${codeOf(':category')}`);
  if (f.state === 'voided') on.push('r.voided = 1');
  else if (f.state !== undefined) on.push(`r.voided = 0 and r.review = ${REVIEW_NUMBERS[f.state]}`);
  const dated = [
    ...(f.from !== undefined ? ['r.occurred_on >= :from'] : []),
    ...(f.to !== undefined ? ['r.occurred_on <= :to'] : []),
  ];
  if (f.reportedPeriod !== undefined)
    on.push(`(r.reported_in = :reported or (r.reported_in is null${dated.map((d) => ` and ${d}`).join('')}))`);
  else on.push(...dated);
  if (f.workerRef !== undefined) on.push(`r.worker_ref = ${codeOf(':worker')}`);
  if (f.documentRef !== undefined) on.push('r.document_ref = :document');
  if (f.person !== undefined)
    on.push('r.voided = 0', 'r.person_no = (select person_no from records_persons where pseudonym = :person)');
  return on;
}

type Args = Record<string, string | number>;

/**
 * Whether `records` is a table here, so the list queries may name its indexes: as of a point
 * (as-of-tables.ts) it is a temp view over its versions, which has none (SQLite refuses a hint there).
 */
const HINTED = new WeakMap<Sql, boolean>();
function hinted(db: Sql): boolean {
  let known = HINTED.get(db);
  if (known === undefined) {
    known = !db.prepare("select 1 from temp.sqlite_master where type = 'view' and name = 'records'").get();
    HINTED.set(db, known);
  }
  return known;
}
const unhinted = (sql: string) => sql.replace(/ (indexed by \w+|not indexed)/g, '');

function args(f: RecordListFilter, after: RecordCursor | null, limit: number): Args {
  const a: Args = { p: f.projectCode, limit };
  const put = (name: string, value: string | undefined) => {
    if (value !== undefined) a[name] = value;
  };
  put('partner', f.partnerId);
  put('kind', f.kind);
  put('category', f.categoryId);
  put('from', f.from);
  put('to', f.to);
  put('reported', f.reportedPeriod);
  put('worker', f.workerRef);
  put('document', f.documentRef);
  put('person', f.person);
  if (after) Object.assign(a, { seq: after.seq, position: after.position, date: after.date });
  return a;
}

/**
 * How a page walks in its order: `table` the rows by seq (the rowid), `scope` one partner's rows of
 * one kind by position (records_scope), `dated` one partner's rows by date then seq.
 */
type Walk = 'table' | 'scope' | 'dated';

function keyset(walk: Walk, desc: boolean): { readonly after: string; readonly order: string } {
  const op = desc ? '<' : '>';
  const dir = desc ? ' desc' : '';
  if (walk === 'table') return { after: `r.seq ${op} :seq`, order: `r.seq${dir}` };
  if (walk === 'scope') return { after: `r.position ${op} :position`, order: `r.position${dir}` };
  return { after: `(r.occurred_on, r.seq) ${op} (:date, :seq)`, order: `r.occurred_on${dir}, r.seq${dir}` };
}

/** One walk of a page: a condition of its own (a partner, a kind) with its argument. */
interface Part {
  readonly where: string | null;
  readonly args: Args;
}
const WHOLE: readonly Part[] = [{ where: null, args: {} }];
const eachOf = (column: string, name: string, values: readonly string[]): Part[] =>
  values.map((v, i) => ({ where: `r.${column} = ${codeOf(`:${name}${i}`)}`, args: { [`${name}${i}`]: v } }));

/**
 * The walks of a page, each through a named index (without statistics SQLite may pick one that
 * matches more of the filter and then sorts the whole range): across partners or kinds, one walk
 * each, merged. One person's records are few: the planner picks the per-person index.
 */
function walksOf(
  f: RecordListFilter,
  sort: RecordSort,
  partners: readonly string[],
): { walk: Walk; index: string; parts: readonly Part[] } {
  const dated = sort === 'date' || sort === '-date';
  if (f.person !== undefined) return { walk: dated ? 'dated' : 'table', index: '', parts: WHOLE };
  if (dated)
    return {
      walk: 'dated',
      index: 'indexed by records_list_partner_dated',
      parts: f.partnerId !== undefined ? WHOLE : eachOf('partner_id', 'partner', partners),
    };
  if (f.partnerId === undefined) return { walk: 'table', index: 'not indexed', parts: WHOLE };
  const scope = { walk: 'scope' as const, index: 'indexed by records_scope' };
  if (f.records === 'expenditures')
    return { ...scope, parts: [{ where: `r.kind = ${codeOf(':expenditure')}`, args: { expenditure: 'expenditure' } }] };
  return { ...scope, parts: f.kind !== undefined ? WHOLE : eachOf('kind', 'kind', ACTIVITY_KINDS) };
}

/** A page made of walks: one, or several each limited and then merged in the page's order. */
function mergedSql(select: (part: Part) => string, parts: readonly Part[], order: string): string {
  if (parts.length === 1) return select(parts[0]!);
  const outer = order.replace(/r\./g, '');
  return `${parts.map((p) => `select * from (${select(p)})`).join(' union all ')} order by ${outer} limit :limit`;
}

/** The SQL of one page of a list and its arguments (exported for the plan test). */
export function listSql(
  f: RecordListFilter,
  sort: RecordSort,
  after: RecordCursor | null,
  limit: number,
  partners: readonly string[],
  backwards = false,
): { sql: string; args: Args } | null {
  const { walk, index, parts } = walksOf(f, sort, partners);
  if (parts.length === 0) return null;
  // Backwards: the rows before the cursor, nearest first (the order turned round), put back later.
  const k = keyset(walk, sort.startsWith('-') !== backwards);
  const common = [...conditions(f), ...(after ? [k.after] : [])];
  const select = (part: Part) =>
    `select ${COLUMNS} from records r ${index} where ${[...common, ...(part.where ? [part.where] : [])].join(' and ')} order by ${k.order} limit :limit`;
  return {
    sql: mergedSql(select, parts, k.order),
    args: Object.assign(args(f, after, limit), ...parts.map((p) => p.args)) as Args,
  };
}

/**
 * One page of activities or expenditures after a cursor (null: the first), in the order asked for,
 * and the cursors of the page after it (null: this is the last) and before it (null: the first).
 * Records created between two pages never shift a page: each page starts strictly after the last
 * row of the one before. `backwards`: the page that ends strictly before the cursor. `partners`:
 * the project's, walked one by one when the list is not narrowed to one.
 */
export function listRecords(
  db: Sql,
  f: RecordListFilter,
  sort: RecordSort,
  after: RecordCursor | null,
  limit: number,
  partners: readonly string[],
  backwards = false,
): { records: ListedRecord[]; next: RecordCursor | null; prev: RecordCursor | null } {
  const q = listSql(f, sort, after, limit + 1, partners, backwards);
  const rows = q ? (db.prepare(hinted(db) ? q.sql : unhinted(q.sql)).all(q.args) as Row[]) : [];
  if (!backwards) {
    const first = rows[0];
    return { ...pageOf(rows, limit), prev: after && first ? cursorOf(first) : null };
  }
  const page = rows.slice(0, limit).reverse();
  const [first, last] = [page[0], page[page.length - 1]];
  return {
    records: page.map(listed),
    // The cursor's own row comes after this page.
    next: last ? cursorOf(last) : null,
    prev: rows.length > limit && first ? cursorOf(first) : null,
  };
}

function pageOf(rows: readonly Row[], limit: number): { records: ListedRecord[]; next: RecordCursor | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { records: page.map(listed), next: rows.length > limit && last ? cursorOf(last) : null };
}

const cursorOf = (r: Row): RecordCursor => ({ seq: r.seq, position: r.position, date: r.occurred_on });

/** The queue's SQL: its partial index holds exactly the rows with `review = 0 and voided = 0`. */
export function queueSql(
  projectCode: string,
  partners: readonly string[],
  after: RecordCursor | null,
  limit: number,
  record?: QueuedRecord['record'],
): { sql: string; args: Args } {
  const common = [
    `r.project_code = ${codeOf(':p')}`,
    'r.review = 0 and r.voided = 0',
    ...(after ? ['r.seq > :seq'] : []),
    ...(record ? [`r.cls = ${record === 'expenditure' ? 1 : 0}`] : []),
  ];
  const select = (part: Part) =>
    `select ${COLUMNS} from records r indexed by records_queue_partner where ${[...common, part.where].join(' and ')} order by r.seq limit :limit`;
  const parts = eachOf('partner_id', 'partner', partners);
  const base: Args = { p: projectCode, limit, ...(after ? { seq: after.seq } : {}) };
  return { sql: mergedSql(select, parts, 'r.seq'), args: Object.assign(base, ...parts.map((p) => p.args)) as Args };
}

/**
 * Activities and expenditures awaiting review, oldest first (creation order), one page after a
 * cursor, of the partners given (one, or the project's); `record`: only that type of record.
 */
export function verificationQueue(
  db: Sql,
  projectCode: string,
  partners: readonly string[],
  after: RecordCursor | null,
  limit: number,
  record?: QueuedRecord['record'],
): { records: QueuedRecord[]; next: RecordCursor | null } {
  if (partners.length === 0) return { records: [], next: null };
  const q = queueSql(projectCode, partners, after, limit + 1, record);
  const { records, next } = pageOf(db.prepare(hinted(db) ? q.sql : unhinted(q.sql)).all(q.args) as Row[], limit);
  return {
    records: records.map((r) => ({ ...r, record: r.kind === 'expenditure' ? 'expenditure' : 'activity' })),
    next,
  };
}

/**
 * Every expenditure of a project not voided, dated in a range (both days included, none: all), by
 * date then creation order: the body of a payment claim. Read whole: a period's expenditures.
 */
export function expenditureRegister(
  db: Sql,
  projectCode: string,
  between: {
    readonly from?: string | undefined;
    readonly to?: string | undefined;
    readonly reportedPeriod?: string | undefined;
  },
  partnerId: string | undefined,
): ListedRecord[] {
  const f: RecordListFilter = { projectCode, records: 'expenditures', partnerId, ...between };
  const where = [...conditions(f), 'r.voided = 0'].join(' and ');
  const sql = `select ${COLUMNS} from records r where ${where} order by r.occurred_on, r.seq`;
  const a = args(f, null, 0);
  return (db.prepare(sql).all(a) as Row[]).map(listed);
}
