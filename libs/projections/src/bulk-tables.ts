import type Database from 'better-sqlite3';
import { OPEN_END, WRITE_POSITION } from './versioned-tables';

/** Rows per multi-row insert: one statement's work instead of that many statements'. */
const ROWS_PER_INSERT = 100;

/** A row as the rebuild holds it: its values in the table's column order, and the position it holds from. */
interface HeldRow {
  values: readonly unknown[];
  from: number;
}

/** A key's parts joined: no key column of the read models holds this character. */
const joinKey = (parts: readonly unknown[]): string => parts.join('\u0000');

/**
 * Inserts many rows of one shape through a prepared statement of `ROWS_PER_INSERT` rows (and a
 * one-row statement for the rest).
 */
class MultiInsert {
  private readonly many: Database.Statement;
  private readonly one: Database.Statement;

  constructor(db: Database.Database, into: string, width: number) {
    const row = `(${Array.from({ length: width }, () => '?').join(', ')})`;
    this.many = db.prepare(`${into} values ${Array.from({ length: ROWS_PER_INSERT }, () => row).join(', ')}`);
    this.one = db.prepare(`${into} values ${row}`);
  }

  run(rows: readonly (readonly unknown[])[]): void {
    let i = 0;
    for (; i + ROWS_PER_INSERT <= rows.length; i += ROWS_PER_INSERT)
      this.many.run(rows.slice(i, i + ROWS_PER_INSERT).flat());
    for (; i < rows.length; i++) this.one.run(rows[i]);
  }
}

function tableExists(db: Database.Database, name: string): boolean {
  return db.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(name) !== undefined;
}

/**
 * One read-model table during a bulk rebuild, held in memory instead of written per event: its rows
 * by key, and, when it keeps a history (versioned-tables.ts), the versions closed since the last
 * flush. A row's write at the event's position closes the version in force (if its values changed)
 * and opens one; the last write at a position wins, as in the transaction log the live path keeps.
 * Versions are written in bulk (`flush`), the rows in force and the final rows at the end (`finish`).
 */
export class BulkTable {
  private readonly rows = new Map<string, HeldRow>();
  /** The key columns' places in a row, in the key's order. */
  private readonly keyAt: readonly number[];
  /** The key columns are the row's first ones, in order (what `add` needs). */
  private readonly keyFirst: boolean;
  private readonly versioned: boolean;
  private readonly keyed: boolean;
  private versions: unknown[][] = [];
  private newKeys: unknown[][] = [];
  private readonly insertVersions: MultiInsert | null;
  private readonly insertKeys: MultiInsert | null;
  private readonly width: number;
  /** The table's columns, in order. */
  readonly columns: readonly string[];

  constructor(
    private readonly db: Database.Database,
    readonly name: string,
    private readonly clock: { readonly position: number },
    /** Its key may be any of its columns: it is then written with `put` only (`add` puts the key first). */
    keyAnywhere = false,
  ) {
    const columns = db.prepare('select name, pk from pragma_table_info(?) order by cid').all(name) as {
      name: string;
      pk: number;
    }[];
    const key = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
    this.keyAt = key.map((k) => columns.indexOf(k));
    const keyFirst = this.keyAt.every((at, i) => at === i);
    if (key.length === 0 || !(keyFirst || keyAnywhere))
      throw new Error(`${name}: a bulk table needs its primary key as its first columns`);
    this.keyFirst = keyFirst;
    this.versioned = tableExists(db, `${name}_v`);
    this.keyed = tableExists(db, `${name}_k`);
    this.insertVersions = this.versioned ? new MultiInsert(db, `insert into ${name}_v`, columns.length + 2) : null;
    this.insertKeys = this.keyed ? new MultiInsert(db, `insert or ignore into ${name}_k`, key.length) : null;
    this.width = columns.length;
    this.columns = columns.map((c) => c.name);
  }

  /** The row in force under these key values, if any. */
  get(...key: readonly unknown[]): readonly unknown[] | undefined {
    return this.rows.get(joinKey(key))?.values;
  }

  private keyOf(values: readonly unknown[]): unknown[] {
    return this.keyAt.map((at) => values[at]);
  }

  /** Writes the row (all columns, in the table's order) at the current position. */
  put(values: readonly unknown[]): void {
    if (values.length !== this.width)
      throw new Error(`${this.name}: ${values.length} values for ${this.width} columns`);
    this.write(joinKey(this.keyOf(values)), values);
  }

  /**
   * Adds `deltas` to the columns after the key of the row under `key` (a new row takes them as its
   * values), as an upsert `do update set c = c + excluded.c` would; returns the row written.
   */
  add(key: readonly unknown[], deltas: readonly number[]): readonly unknown[] {
    if (!this.keyFirst) throw new Error(`${this.name}: add needs the key as the first columns`);
    const joined = joinKey(key);
    const held = this.rows.get(joined)?.values;
    const values = [...key];
    for (let i = 0; i < deltas.length; i++)
      values.push(held ? (held[key.length + i] as number) + deltas[i]! : deltas[i]);
    this.write(joined, values);
    return values;
  }

  private write(key: string, values: readonly unknown[]): void {
    const held = this.rows.get(key);
    const at = this.clock.position;
    if (!held) {
      this.rows.set(key, { values, from: at });
      if (this.keyed) this.newKeys.push(this.keyOf(values));
      return;
    }
    if (held.from === at) {
      held.values = values;
      return;
    }
    if (values.every((v, i) => v === held.values[i])) return;
    this.close(held, at);
    held.values = values;
    held.from = at;
  }

  /** Deletes the row under these key values at the current position. */
  delete(...key: readonly unknown[]): void {
    const joined = joinKey(key);
    const held = this.rows.get(joined);
    if (!held) return;
    // Opened at this position: the version before it was closed here already.
    if (held.from !== this.clock.position) this.close(held, this.clock.position);
    this.rows.delete(joined);
  }

  private version(held: HeldRow, to: number): unknown[] {
    const values = [...held.values];
    values.push(held.from, to);
    return values;
  }

  private close(held: HeldRow, at: number): void {
    if (this.versioned) this.versions.push(this.version(held, at));
  }

  /**
   * Rewrites the versions closed since the last flush whose values `match` (`rewrite` gives the
   * values anew): an erasure's change to the history the rows held.
   */
  rewriteClosed(match: (values: readonly unknown[]) => boolean, rewrite: (values: unknown[]) => void): void {
    for (const version of this.versions) if (match(version)) rewrite(version);
  }

  /** Writes the versions closed and the keys first seen since the last flush. */
  flush(): void {
    if (this.insertVersions && this.versions.length > 0) this.insertVersions.run(this.versions);
    if (this.insertKeys && this.newKeys.length > 0) this.insertKeys.run(this.newKeys);
    this.versions = [];
    this.newKeys = [];
  }

  /**
   * The end of the rebuild: the versions in force (open-ended) and the final rows. The log of the
   * table's writes is emptied after them: the final rows are not changes at the last position.
   */
  finish(): void {
    if (this.versioned) for (const held of this.rows.values()) this.versions.push(this.version(held, OPEN_END));
    this.flush();
    const live = new MultiInsert(this.db, `insert into ${this.name}`, this.width);
    live.run([...this.rows.values()].map((h) => h.values));
    if (this.db.prepare('select 1 from temp.sqlite_master where name = ?').get(`${this.name}_vlog`))
      this.db.prepare(`delete from temp.${this.name}_vlog`).run();
    this.rows.clear();
  }
}

/**
 * The tables a bulk rebuild holds in memory (written by the projections' states, `Projection.bulk`),
 * each created on first use; `position` is the event being applied.
 */
export class BulkTables {
  position: number;
  /** The event applied before it (what `projection_writing.previous` holds live). */
  previous = 0;
  private readonly tables = new Map<string, BulkTable>();
  /** The number of a text in `records_codes` (set by the dispatch): the coded columns' keys. */
  codeOf: (text: string) => number = () => {
    throw new Error('no records codes in this bulk rebuild');
  };

  constructor(private readonly db: Database.Database) {
    const row = db.prepare(`select ${WRITE_POSITION.read} as position`).get() as { position: number | null };
    this.position = row.position ?? 0;
  }

  /** The event about to be applied. */
  advance(position: number): void {
    this.previous = this.position;
    this.position = position;
  }

  /** `keyAnywhere`: see `BulkTable`. */
  table(name: string, keyAnywhere = false): BulkTable {
    let table = this.tables.get(name);
    if (!table) this.tables.set(name, (table = new BulkTable(this.db, name, this, keyAnywhere)));
    return table;
  }

  /** Inside the open transaction: the versions gathered so far (memory stays bounded by a transaction's). */
  flush(): void {
    for (const table of this.tables.values()) table.flush();
  }

  /** Inside the last transaction: the versions in force and the final rows of every table. */
  finish(): void {
    for (const table of this.tables.values()) table.finish();
  }
}
