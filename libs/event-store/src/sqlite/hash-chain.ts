import type Database from 'better-sqlite3';
import { GENESIS_HASH, chainHash } from '../chain-hash';
import { EVENT_COLUMNS, type EventRow } from './event-row.mapping';

/**
 * On SQLite the chain is the global feed's: hash(n) = chainHash(hash(n-1), [position, stream_id,
 * revision, event_id, type, schema_version, data, metadata, recorded_at]), data and metadata as the
 * stored JSON texts. Every column is covered: an auditor can recompute it from a plain dump of the table.
 */
export { GENESIS_HASH, chainHash };

/** Reads the newest event's position and stored hash (genesis on an empty log; null for a row the store did not hash). */
export function chainTailReader(db: Database.Database): () => { position: number; hash: Buffer | null } {
  const stmt = db.prepare<[], { position: number; hash: Buffer | null }>(
    'select position, hash from events order by position desc limit 1',
  );
  return () => stmt.get() ?? { position: 0, hash: GENESIS_HASH };
}

/**
 * Files written before the chain existed get the column and the chain over their rows, once, in one
 * transaction: from then on only the writer sets it, so a row slipped in later by another program
 * keeps a null hash and `ledger verify` names it. Returns how many rows were hashed (0: nothing to do).
 */
export function migrateHashChain(db: Database.Database): number {
  if (hasHashColumn(db)) return 0;
  return db
    .transaction(() => {
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
  let hashed = 0;
  for (let from = after; ;) {
    const rows = page.all(from);
    if (rows.length === 0) return hashed;
    for (const row of rows) {
      prev = chainHash(prev, row);
      set.run(prev, row[0]);
    }
    hashed += rows.length;
    from = rows[rows.length - 1]![0];
  }
}
