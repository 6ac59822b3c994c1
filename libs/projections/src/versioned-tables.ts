import type Database from 'better-sqlite3';

/** The `h_to` of a version still in force. */
export const OPEN_END = Number.MAX_SAFE_INTEGER;
/**
 * Where the triggers find the position of the event being applied: a one-row table the runner
 * sets before each event (a table, not a function, so any connection may write the read models).
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
 * positions between which it held, `[h_from, h_to)`, clustered by (row key, h_from) and written by
 * triggers on the table itself, so the projections write as before. As of a point, a row is read by
 * one seek per key (its last version from at most that point, if it still held there) over
 * `<table>_k`, every key the table ever had: a hot row (a total moved by every event) costs the same
 * as a cold one. `scan`: read instead as a range over the versions, through the `reads` indexes
 * (column lists; `h_to`, `h_from` appended): for a table with one row per record, few versions each,
 * whose queries filter on more than the key. `from`: a column of the new row that is its own
 * creation position (rows written later than the event that made them: a bulk replay holds records back).
 */
export interface VersionedTable {
  readonly table: string;
  readonly reads?: readonly (readonly string[])[];
  readonly scan?: boolean;
  readonly from?: string;
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

/**
 * Creates the history table and its triggers (idempotent). A write closes the version in force
 * (h_to = the event's position) and opens the new one; a version opened and closed at the same
 * position held at no point and is deleted.
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
  if (!spec.scan)
    db.exec(
      `create table if not exists ${keysTable(table)} (${shape.declared.filter((d) => key.includes(d.split(' ')[0]!)).join(', ')}, primary key (${key.join(', ')})) without rowid`,
    );
  (spec.reads ?? []).forEach((cols, i) =>
    db.exec(`create index if not exists ${v}_r${i} on ${v} (${cols.join(', ')}, h_to, h_from)`),
  );
  const match = (row: 'new' | 'old') => key.map((k, i) => `${k} = ${row}.${rowKey[i]!}`).join(' and ');
  const close = (row: 'new' | 'old', at: string) => `
    update ${v} set h_to = ${at} where ${match(row)} and h_to = ${OPEN_END}
      and h_from = (select max(h_from) from ${v} where ${match(row)});
    delete from ${v} where ${match(row)} and h_from = ${at} and h_to = ${at};`;
  const values = [...(rowKey[0] === 'rowid' ? ['new.rowid'] : []), ...shape.columns.map((c) => `new.${c}`)];
  const open = (at: string) =>
    `insert into ${v} (${stored.join(', ')}, h_from, h_to) values (${values.join(', ')}, ${at}, ${OPEN_END});`;
  const remember = spec.scan
    ? ''
    : `insert or ignore into ${keysTable(table)} values (${rowKey.map((k) => `new.${k}`).join(', ')});`;
  const at = WRITE_POSITION.read;
  const insertAt = spec.from ? `new.${spec.from}` : at;
  // An insert also closes a version left open: `insert or replace` deletes without the delete trigger.
  db.exec(
    `create trigger if not exists ${v}_i after insert on ${table} begin ${close('new', insertAt)} ${open(insertAt)} ${remember} end`,
  );
  db.exec(`create trigger if not exists ${v}_u after update on ${table} begin ${close('old', at)} ${open(at)} end`);
  db.exec(`create trigger if not exists ${v}_d after delete on ${table} begin ${close('old', at)} end`);
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
  // Per key: its last version from at most the point, if that one still held there.
  const keyColumns = new Set(shape.key);
  const select = shape.columns.map((c) => (keyColumns.has(c) ? `k.${c}` : `v.${c}`));
  const same = (a: string) => shape.key.map((c) => `${a}.${c} = k.${c}`).join(' and ');
  return `create temp view ${spec.table} as select ${select.join(', ')}
    from main.${keysTable(spec.table)} k join main.${v} v on ${same('v')}
      and v.h_from = (select max(w.h_from) from main.${v} w where ${same('w')} and w.h_from <= ${at})
    where v.h_to > ${at}`;
}

/** The same for an append-only table. */
export function appendOnlyView(spec: AppendOnlyTable): string {
  return `create temp view ${spec.table} as select * from main.${spec.table} where ${spec.position} <= ${READ_POSITION}()`;
}
