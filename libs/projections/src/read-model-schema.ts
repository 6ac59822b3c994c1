import type Database from 'better-sqlite3';
import type { Projection } from './projection';
import { createAsOfTables } from './as-of-tables';
import { RecordIndex } from './record-index';

interface StoredVersion {
  readonly name: string;
  readonly version: number;
}

/**
 * The read models a file holds for these projections, by name with their versions: the shared
 * records and each projection, one `projection_checkpoints` row each.
 */
export function readModelVersions(projections: readonly Projection[]): ReadonlyMap<string, number> {
  return new Map([[RecordIndex.NAME, RecordIndex.VERSION], ...projections.map((p) => [p.name, p.version] as const)]);
}

/** Whether a file's checkpoint rows are exactly these read models at these versions. */
export function sameReadModelVersions(
  stored: readonly StoredVersion[],
  expected: ReadonlyMap<string, number>,
): boolean {
  return stored.length === expected.size && stored.every((r) => expected.get(r.name) === r.version);
}

/**
 * The runner's own tables: the checkpoint of each read model, and `projection_bulk`, present while
 * a bulk replay is under way: if the process stops before it ends, the next start replays from 0
 * again (the file lacks its indexes and the gathered sums).
 */
export function createRunnerTables(db: Database.Database): void {
  db.exec(
    'create table if not exists projection_checkpoints (name text primary key, version integer not null, position integer not null)',
  );
  db.exec('create table if not exists projection_bulk (since text not null)');
}

/**
 * A projection whose stored version differs from its code, or an interrupted bulk replay: every
 * read-model table is dropped and rebuilt from 0 (all projections share one checkpoint, so one stale
 * projection replays all of them). Then the tables are created and each read model has its row.
 * Runs inside the caller's transaction.
 */
export function prepareSchemas(db: Database.Database, projections: readonly Projection[]): void {
  const stored = db.prepare('select name, version from projection_checkpoints').all() as StoredVersion[];
  const expected = readModelVersions(projections);
  const interrupted = db.prepare('select count(*) as n from projection_bulk').get() as { n: number };
  if (!sameReadModelVersions(stored, expected) || interrupted.n > 0) {
    // Every read-model table and view, also those an older version had and this one no longer lists.
    const objects = db
      .prepare(
        "select type, name from sqlite_master where type in ('table', 'view') and name not like 'projection\\_%' escape '\\' and name not like 'sqlite\\_%' escape '\\' order by type = 'table'",
      )
      .all() as { type: 'table' | 'view'; name: string }[];
    for (const o of objects) db.exec(`drop ${o.type} if exists "${o.name}"`);
    db.exec('delete from projection_checkpoints');
    db.exec('delete from projection_bulk');
  }
  db.exec(RecordIndex.SCHEMA);
  for (const p of projections) db.exec(p.schema);
  createAsOfTables(db, projections);
  const insert = db.prepare('insert or ignore into projection_checkpoints (name, version, position) values (?, ?, 0)');
  for (const [name, version] of expected) insert.run(name, version);
}

/** The position every read model of the file has reached. */
export function storedCheckpoint(db: Database.Database): number {
  const row = db.prepare('select min(position) as p from projection_checkpoints').get() as { p: number | null };
  return row.p ?? 0;
}
