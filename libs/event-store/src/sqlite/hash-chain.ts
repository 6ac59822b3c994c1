import type Database from 'better-sqlite3';
import { GENESIS_HASH, chainHash } from '../chain-hash';
import { EVENT_COLUMNS, type EventRow } from './event-row.mapping';
import { rowChainHash } from './row-chain-hash';

/**
 * On SQLite the chain is the global feed's, in two formats (docs/tamper-evidence.md). Format 1:
 * hash(n) = chainHash(hash(n-1), [position, stream_id, revision, event_id, type, schema_version, data,
 * metadata, recorded_at]), data and metadata as the stored JSON texts. Format 2 (rowChainHash): the
 * same columns' stored bytes, length-prefixed. Every column is covered either way: an auditor can
 * recompute the chain from a plain dump of the table and of `chain_formats`.
 */
export { GENESIS_HASH, chainHash, rowChainHash };

/**
 * The first position chained in format 2. One boundary in `chain_formats` rather than a version per
 * row: it costs no byte per event, and moving it cannot hide anything, since every row on the wrong
 * side of it is then hashed in the other format and no longer matches. Infinity: a file no code of
 * format 2 has opened yet, all format 1.
 */
export function formatTwoFrom(db: Database.Database): number {
  const table = db
    .prepare<[], number>("select count(*) from sqlite_master where type = 'table' and name = 'chain_formats'")
    .pluck()
    .get();
  if (!table) return Infinity;
  const from = db.prepare<[], number>('select from_position from chain_formats where format = 2').pluck().get();
  return from ?? Infinity;
}

/** One chain step, in the format of the row's position. */
export function chainStep(prev: Buffer, row: EventRow, v2From: number): Buffer {
  return row[0] >= v2From ? rowChainHash(prev, row) : chainHash(prev, row);
}

/** Reads the newest event's position and stored hash (genesis on an empty log; null for a row the store did not hash). */
export function chainTailReader(db: Database.Database): () => { position: number; hash: Buffer | null } {
  const stmt = db.prepare<[], { position: number; hash: Buffer | null }>(
    'select position, hash from events order by position desc limit 1',
  );
  return () => stmt.get() ?? { position: 0, hash: GENESIS_HASH };
}

/**
 * At every opening, in one transaction: a file first opened by this code records where format 2
 * starts (after its newest row: older rows keep their format-1 hashes). Files written before the
 * chain existed also get the column and the chain over their rows, once (in format 2): from then on
 * only the writer sets it, so a row slipped in later by another program keeps a null hash and `ledger
 * verify` names it. Returns how many rows were hashed (0: nothing to do).
 */
export function migrateHashChain(db: Database.Database): number {
  return db
    .transaction(() => {
      const chained = hasHashColumn(db);
      if (formatTwoFrom(db) === Infinity) {
        const head = chained ? db.prepare<[], number | null>('select max(position) from events').pluck().get() : 0;
        db.prepare('insert into chain_formats (format, from_position) values (2, ?)').run((head ?? 0) + 1);
      }
      if (chained) return 0;
      db.exec('alter table events add column hash blob');
      return hashFrom(db, 0, GENESIS_HASH);
    })
    .immediate();
}

/**
 * After an in-place rewrite of rows from `position` on (a maintenance migration, never a normal
 * write), the chain from there to the head is computed anew. Returns how many rows were hashed.
 */
export function rechainFrom(db: Database.Database, position: number): number {
  if (!hasHashColumn(db)) return 0;
  return db
    .transaction(() => {
      const prev = db
        .prepare<[number], Buffer | null>('select hash from events where position < ? order by position desc limit 1')
        .pluck()
        .get(position);
      return hashFrom(db, position - 1, prev ?? GENESIS_HASH);
    })
    .immediate();
}

function hasHashColumn(db: Database.Database): boolean {
  return db
    .prepare<[], { name: string }>('pragma table_info(events)')
    .all()
    .some((c) => c.name === 'hash');
}

function hashFrom(db: Database.Database, after: number, prev: Buffer): number {
  const page = db
    .prepare<[number], EventRow>(`select ${EVENT_COLUMNS} from events where position > ? order by position limit 10000`)
    .raw(true);
  const set = db.prepare<[Buffer, number]>('update events set hash = ? where position = ?');
  const v2From = formatTwoFrom(db);
  let hashed = 0;
  for (let from = after; ;) {
    const rows = page.all(from);
    if (rows.length === 0) return hashed;
    for (const row of rows) {
      prev = chainStep(prev, row, v2From);
      set.run(prev, row[0]);
    }
    hashed += rows.length;
    from = rows[rows.length - 1]![0];
  }
}
