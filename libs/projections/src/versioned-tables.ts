import type Database from 'better-sqlite3';

/** The `h_to` of a version still in force. */
export const OPEN_END = Number.MAX_SAFE_INTEGER;
/**
 * Where the log's triggers find the position of the event being applied: a one-row table the
 * runner sets before each event (a table, not a function: the timeline reads it too).
 */
export const WRITE_POSITION = {
  schema: `create table if not exists projection_writing (position integer not null, previous integer not null);
    insert into projection_writing select 0, 0 where not exists (select 1 from projection_writing);`,
  /** `previous`: the event applied before it (timeline.projection.ts). */
  update: 'update projection_writing set previous = position, position = ?',
  read: '(select position from projection_writing)',
} as const;
/** The SQL function the as-of views call for the position being read. */
export const READ_POSITION = 'as_of_position';

/**
 * A read-model table kept with its history: `<table>_v` holds every version of each row with the
 * positions between which it held, `[h_from, h_to)`, clustered by (row key, h_from) and written from
 * the log of the table's writes (temp triggers) at the end of each transaction, so the projections
 * write as before. As of a point, a row is read by
 * one seek per key (its last version from at most that point, if it still held there) over
 * `<table>_k`, every key the table ever had: a hot row (a total moved by every event) costs the same
 * as a cold one (`grouped` tables keep no `<table>_k`). `scan`: read instead as a range over the versions, through the `reads` indexes
 * (column lists; `h_to`, `h_from` appended): for a table with one row per record, few versions each,
 * whose queries filter on more than the key. `from`: a column of the new row that is its own
 * creation position (rows written later than the event that made them: a bulk replay holds records back).
 */
export interface VersionedTable {
  readonly table: string;
  readonly reads?: readonly (readonly string[])[];
  readonly scan?: boolean;
  readonly from?: string;
  /**
   * As of a point, read as one range over the versions in key order, each key's last one up to the
   * point, instead of seeks per key: for a table with few versions per key (a person's row), where
   * three seeks per key cost more than reading every version (measured at 1M events: bench/README.md).
   */
  readonly grouped?: boolean;
}

/**
 * A table whose rows never change once written and carry their position: as of a point, the rows
 * written up to it.
 */
export interface AppendOnlyTable {
  readonly table: string;
  readonly position: string;
}

interface Column {
  readonly name: string;
  readonly pk: number;
  readonly type: string;
}

function columnsOf(db: Database.Database, table: string): Column[] {
  return db.prepare(`select name, pk, type from pragma_table_info(?) order by cid`).all(table) as Column[];
}

/** A row's identity: its primary key, or its rowid for a table keyed by an integer primary key. */
function keyOf(columns: readonly Column[]): string[] {
  const pk = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
  if (pk.length === 0 || (pk.length === 1 && pk[0]!.type.toLowerCase() === 'integer')) return ['rowid'];
  return pk.map((c) => c.name);
}

const versionTable = (t: string) => `${t}_v`;
const keysTable = (t: string) => `${t}_k`;

interface Shape {
  readonly columns: string[];
  /** The key as stored in the history (`row_id` for a rowid). */
  readonly key: string[];
  /** The key as read from the table's new/old row. */
  readonly rowKey: string[];
  /** The history's columns: the key first when it is the rowid, then the table's. */
  readonly stored: string[];
  /**
   * Their declarations: the table's types, so the key compares with the same affinity as the rows
   * the triggers are given (an untyped column compared with an integer defeats its index).
   */
  readonly declared: string[];
}

function shapeOf(db: Database.Database, table: string): Shape | null {
  const columns = columnsOf(db, table);
  if (columns.length === 0) return null;
  const rowKey = keyOf(columns);
  const key = rowKey.map((k) => (k === 'rowid' ? 'row_id' : k));
  const names = columns.map((c) => c.name);
  const typed = columns.map((c) => `${c.name} ${c.type}`);
  return {
    columns: names,
    key,
    rowKey,
    stored: rowKey[0] === 'rowid' ? ['row_id', ...names] : names,
    declared: rowKey[0] === 'rowid' ? ['row_id integer', ...typed] : typed,
  };
}

const logTable = (t: string) => `${t}_vlog`;
/** A logged write: the row as written (`op` 1) or the key of a row deleted (`op` 0), at `v_at`. */
const LOG_COLUMNS = ['v_at integer not null', 'v_op integer not null'];

/**
 * Creates the history table (idempotent) and, on this connection, the log of the table's writes:
 * temp triggers append each written row with its position to `temp.<table>_vlog`, and
 * `VersionLog` turns the log into versions at the end of the transaction, a few set statements per
 * table rather than a version closed and opened per written row (what made a rebuild crawl). Every
 * connection that writes the read models calls this (the runner does).
 */
export function createVersionedTable(db: Database.Database, spec: VersionedTable): void {
  const { table } = spec;
  // A table of a projection not in use (a test's subset) has nothing to keep.
  const shape = shapeOf(db, table);
  if (!shape) return;
  const { key, rowKey, stored } = shape;
  const v = versionTable(table);
  db.exec(`create table if not exists ${v} (${shape.declared.join(', ')}, h_from integer not null, h_to integer not null,
    primary key (${key.join(', ')}, h_from)) without rowid`);
  // A grouped table's view reads its versions only: a key table would be one more b-tree per new key.
  if (!spec.scan && !spec.grouped)
    db.exec(
      `create table if not exists ${keysTable(table)} (${shape.declared.filter((d) => key.includes(d.split(' ')[0]!)).join(', ')}, primary key (${key.join(', ')})) without rowid`,
    );
  createVersionIndexes(db, spec);
  // Files written before the log kept their versions through triggers of their own.
  for (const op of ['i', 'u', 'd']) db.exec(`drop trigger if exists main.${v}_${op}`);
  const log = logTable(table);
  // Anew: a schema prepared again may have changed the table's columns.
  for (const op of ['i', 'u', 'd']) db.exec(`drop trigger if exists temp.${log}_${op}`);
  db.exec(`drop table if exists temp.${log}`);
  // By key and position, the last write at a position replacing an earlier one: the flush reads
  // the log in the history's own order, with nothing to sort or drop.
  db.exec(
    `create temp table ${log} (${[...shape.declared, ...LOG_COLUMNS].join(', ')}, primary key (${key.join(', ')}, v_at)) without rowid`,
  );
  const row = (r: 'new' | 'old') => [
    ...(rowKey[0] === 'rowid' ? [`${r}.rowid`] : []),
    ...shape.columns.map((c) => `${r}.${c}`),
  ];
  const oldKey = rowKey.map((k) => `old.${k}`);
  const at = WRITE_POSITION.read;
  const insertAt = spec.from ? `new.${spec.from}` : at;
  const into = (cols: readonly string[]) => `insert into temp.${log} (${[...cols, 'v_at', 'v_op'].join(', ')})`;
  // An upsert, not `or replace`: a statement's own `or ignore` would override the trigger's.
  const values = stored.filter((c) => !key.includes(c));
  const last = (op: 0 | 1) =>
    `on conflict (${key.join(', ')}, v_at) do update set ${[...(op ? values.map((c) => `${c} = excluded.${c}`) : []), `v_op = ${op}`].join(', ')}`;
  const moved = rowKey.map((k) => `old.${k} is not new.${k}`).join(' or ');
  db.exec(
    `create temp trigger ${log}_i after insert on main.${table} begin ${into(stored)} values (${row('new').join(', ')}, ${insertAt}, 1) ${last(1)}; end`,
  );
  // A row whose key changed: the old key's row is gone.
  db.exec(`create temp trigger ${log}_u after update on main.${table} begin
    ${into(key)} select ${oldKey.join(', ')}, ${at}, 0 where ${moved} ${last(0)};
    ${into(stored)} values (${row('new').join(', ')}, ${at}, 1) ${last(1)}; end`);
  db.exec(
    `create temp trigger ${log}_d after delete on main.${table} begin ${into(key)} values (${oldKey.join(', ')}, ${at}, 0) ${last(0)}; end`,
  );
}

/** The history's read indexes: after a bulk rebuild (built once, not moved by every version). */
export function createVersionIndexes(db: Database.Database, spec: VersionedTable): void {
  const v = versionTable(spec.table);
  (spec.reads ?? []).forEach((cols, i) =>
    db.exec(`create index if not exists ${v}_r${i} on ${v} (${cols.join(', ')}, h_to, h_from)`),
  );
}

/**
 * The statements that move a table's logged writes into its history, in order: per key, the
 * version in force is closed at the key's first logged position; the last write at each position
 * (the log keeps only that one) opens a version that holds until the key's next logged position (a
 * delete opens none); the key is remembered. A transaction's positions all come after the last
 * one's, so no version is closed where it opened.
 */
export function flushStatements(db: Database.Database, table: string): string[] {
  const shape = shapeOf(db, table);
  if (!shape) return [];
  const { key, stored } = shape;
  const v = `main.${versionTable(table)}`;
  const log = `temp.${logTable(table)}`;
  const keys = key.join(', ');
  const same = (a: string, b: string) => key.map((k) => `${a}.${k} = ${b}.${k}`).join(' and ');
  const firsts = `select ${keys}, min(v_at) as first from ${log} group by ${keys}`;
  const keyed = db.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(keysTable(table));
  return [
    `update ${v} as t set h_to = c.first from (${firsts}) as c
      where ${same('t', 'c')} and t.h_to = ${OPEN_END}
        and t.h_from = (select max(w.h_from) from ${v} as w where ${same('w', 'c')})`,
    `insert or replace into ${v} (${stored.join(', ')}, h_from, h_to)
      select ${stored.join(', ')}, v_at, h_to from (
        select *, coalesce(lead(v_at) over (partition by ${keys} order by v_at), ${OPEN_END}) as h_to from ${log})
      where v_op = 1`,
    ...(keyed
      ? [`insert or ignore into main.${keysTable(table)} select distinct ${keys} from ${log} where v_op = 1`]
      : []),
    `delete from ${log}`,
  ];
}

/** The tables whose writes this connection logs. */
export function loggedTables(db: Database.Database): string[] {
  const rows = db
    .prepare("select name from temp.sqlite_master where type = 'table' and name like '%\\_vlog' escape '\\'")
    .all() as { name: string }[];
  return rows.map((r) => r.name.slice(0, -'_vlog'.length));
}

/** A `create temp view` statement that shows a versioned table as it stood at `as_of_position()`. */
export function asOfView(db: Database.Database, spec: VersionedTable): string {
  const shape = shapeOf(db, spec.table);
  if (!shape) throw new Error(`no table ${spec.table} to read as of a position`);
  const v = versionTable(spec.table);
  const at = `${READ_POSITION}()`;
  if (spec.scan)
    return `create temp view ${spec.table} as select ${shape.columns.join(', ')} from main.${v}
      where h_to > ${at} and h_from <= ${at}`;
  // SQLite's bare columns: with max(), the other columns come from the row holding the max.
  if (spec.grouped)
    return `create temp view ${spec.table} as select ${shape.columns.join(', ')} from (
      select ${shape.columns.join(', ')}, max(h_from) as h_last, h_to from main.${v} where h_from <= ${at}
      group by ${shape.key.join(', ')}) where h_to > ${at}`;
  // Per key: its last version from at most the point, if that one still held there. `cross join`
  // keeps the keys the outer loop: left to itself SQLite read every version of a project's rows
  // (a query filtering on the project) and looked each one's key up, ten times slower at 100k events.
  const keyColumns = new Set(shape.key);
  const select = shape.columns.map((c) => (keyColumns.has(c) ? `k.${c}` : `v.${c}`));
  const same = (a: string) => shape.key.map((c) => `${a}.${c} = k.${c}`).join(' and ');
  return `create temp view ${spec.table} as select ${select.join(', ')}
    from main.${keysTable(spec.table)} k cross join main.${v} v on ${same('v')}
      and v.h_from = (select max(w.h_from) from main.${v} w where ${same('w')} and w.h_from <= ${at})
    where v.h_to > ${at}`;
}

/** The same for an append-only table. */
export function appendOnlyView(spec: AppendOnlyTable): string {
  return `create temp view ${spec.table} as select * from main.${spec.table} where ${spec.position} <= ${READ_POSITION}()`;
}
