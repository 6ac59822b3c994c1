import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { rechainFrom } from './hash-chain';

export interface MetadataFieldRow {
  readonly position: number;
  readonly streamId: string;
  readonly type: string;
  /** The event's data as stored (JSON text). */
  readonly data: string;
  /** The field's current value. */
  readonly value: string;
}

/**
 * Rewrites one metadata field of stored events in place, for migrations that must remove what an
 * earlier version wrote (the data and every other field stay as they are). Freed bytes are zeroed
 * (secure_delete) and the WAL is checkpointed and truncated at the end, so the old values do not
 * linger in the file's free space or its WAL. Its own connection: the store may be open meanwhile.
 */
export class SqliteMetadataRewrite {
  private readonly db: Database.Database;

  constructor(file: string) {
    if (!existsSync(file)) throw new Error(`no event store at ${file}`);
    this.db = new Database(file, { fileMustExist: true });
    this.db.pragma('busy_timeout = 10000');
    this.db.pragma('secure_delete = ON');
    this.db.pragma('synchronous = FULL');
  }

  /** Events whose metadata field is a string matching the GLOB pattern, in log order. */
  *rows(field: string, glob: string): IterableIterator<MetadataFieldRow> {
    const path = jsonPath(field);
    const stmt = this.db.prepare<[string, string, string, number], MetadataFieldRow>(
      `select position, stream_id as streamId, type, data, json_extract(metadata, ?) as value from events
       where json_extract(metadata, ?) glob ? and position > ? order by position limit 1000`,
    );
    // Paged, so the writes between pages do not run into an open read cursor.
    for (let after = 0; ;) {
      const page = stmt.all(path, path, glob, after);
      if (page.length === 0) return;
      for (const row of page) yield row;
      after = page[page.length - 1]!.position;
    }
  }

  /**
   * Sets the field on the given events and computes the hash chain anew from the first of them (the
   * chain covers metadata), in one transaction: a crash or a full disk between the two would leave
   * rows whose hashes no longer match, which `ledger verify` reports as altered and no rerun repairs
   * (the rows no longer match the migration's pattern). Returns how many rows changed.
   */
  set(field: string, values: ReadonlyMap<number, string>): number {
    const update = this.db.prepare<[string, string, number]>(
      'update events set metadata = json_set(metadata, ?, ?) where position = ?',
    );
    const path = jsonPath(field);
    return this.db
      .transaction(() => {
        let changed = 0;
        let from = Infinity;
        for (const [position, value] of values) {
          changed += update.run(path, value, position).changes;
          from = Math.min(from, position);
        }
        if (changed > 0) rechainFrom(this.db, from);
        return changed;
      })
      .immediate();
  }

  /**
   * Rewrites the whole file (VACUUM): pages written before secure_delete was on can still hold old
   * bytes in their unused space, which only a rewrite clears. Costs a copy of the file through the WAL.
   */
  compact(): void {
    this.db.exec('vacuum');
  }

  /** Copies the WAL into the file and empties it; false when readers kept it from finishing. */
  checkpoint(): boolean {
    for (let attempt = 0; attempt < 50; attempt++) {
      const [r] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      if (r?.busy === 0) return true;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
    return false;
  }

  close(): void {
    this.db.close();
  }
}

function jsonPath(field: string): string {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(field)) throw new TypeError('metadata field must be a plain name');
  return `$.${field}`;
}
