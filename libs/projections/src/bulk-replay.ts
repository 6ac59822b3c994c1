import type Database from 'better-sqlite3';
import type { StoredEvent } from '@ihl/event-store';
import { createDeferredVersionIndexes } from './as-of-tables';
import type { BulkTables } from './bulk-tables';
import type { ProjectionDispatch } from './projection-dispatch';

/**
 * The page cache of a live file and of a bulk replay (whose per-event writes and version flushes
 * seek into the read models and their histories: 64 MiB took a scale-1 demo rebuild from 41.7 to
 * 30.9 CPU seconds against 4 MiB), and the small one its indexes are built with at the end.
 */
export const PAGE_CACHE = -65536;
export const BULK_PAGE_CACHE = -4096;

/**
 * A replay from position 0 in bulk: each event is applied as it arrives, inside a transaction
 * committed every `batchSize` events, with the records appended without their indexes and the
 * projections' batches kept over the whole replay; nothing holds a batch of events, so memory stays
 * flat over the whole log. No checkpoint is written before the end, so a process following the file
 * never serves half a replay; an interrupted one starts over (the `projection_bulk` marker).
 */
export class BulkReplay {
  /** Events applied in the open transaction. */
  private inTx = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly dispatch: ProjectionDispatch,
    private readonly batchSize: number,
    private readonly applyOne: (event: StoredEvent) => void,
    /** The tables held in memory while it runs (the dispatch writes them). */
    private readonly tables: BulkTables,
  ) {}

  /** Applies one event; true when that committed the transaction (the feed should then yield a turn). */
  apply(event: StoredEvent): boolean {
    try {
      if (this.inTx === 0) this.db.exec('begin');
      this.applyOne(event);
      if (++this.inTx < this.batchSize) return false;
      this.commit();
      return true;
    } catch (e) {
      this.rollback();
      throw e;
    }
  }

  /** Commits the open transaction (records held back written first), if any. */
  commit(): void {
    if (this.inTx === 0) return;
    this.dispatch.writeRecords();
    this.db.exec('commit');
    this.inTx = 0;
  }

  /** Drops the open transaction and what the projections gathered: the replay cannot be resumed. */
  rollback(): void {
    if (this.db.inTransaction) this.db.exec('rollback');
    this.inTx = 0;
    this.dispatch.discard();
  }

  /**
   * Ends it: the indexes (the records' and their versions'), then the gathered sums with the checkpoint and the end of the marker.
   * Built with the bulk's small cache: SQLite sorts in more, smaller runs, which was faster here.
   * Committed on its own: the sums written after it in the same transaction took twice as long. The
   * marker stays until the second commit, so a stop in between still replays from 0.
   */
  finish(writeCheckpoint: () => void): void {
    this.db.pragma(`cache_size = ${BULK_PAGE_CACHE}`);
    this.db.transaction(() => {
      this.dispatch.records.buildIndexes();
      createDeferredVersionIndexes(this.db);
    })();
    this.db.transaction(() => {
      this.db.pragma(`cache_size = ${PAGE_CACHE}`);
      this.dispatch.commit();
      this.dispatch.finishBulk();
      this.tables.finish();
      writeCheckpoint();
      this.db.exec('delete from projection_bulk');
    })();
  }
}
