import type { BulkTables } from './bulk-tables';
import type { AnyEvent } from './ledger-events';
import type { RecordChange } from './ledger-record';
import type { Sql } from './statement-cache';

/**
 * What the runner hands a projection with each event: the read-model database (inside the batch's
 * transaction) and the projection's batch, if it keeps one (see `Projection.createBatch`).
 */
export interface ProjectionContext<B> {
  /** Statements on the read-model connection (each text prepared once). */
  readonly db: Sql;
  readonly batch: B;
}

/**
 * A projection's state for one bulk rebuild (`Projection.bulk`): it takes the events instead of
 * `evolve`/`evolveRecord`/`commit` and writes the rebuild's in-memory tables (bulk-tables.ts),
 * which write the versions and the final rows in bulk rather than each event's rows through SQL.
 * Created when the rebuild starts and dropped with it, so whatever it keeps lives as long as the
 * rebuild does.
 */
export interface BulkProjection<E extends AnyEvent = AnyEvent> {
  /** One event of a handled type; `db` for what the projection still writes through SQL. */
  evolve?(event: E, db: Sql): void;
  /** Every event of an activity or expenditure record, one that changed nothing too (`before === after`). */
  evolveRecord?(change: RecordChange, db: Sql): void;
  /** The end of the rebuild, before the tables write their final rows: what the state still holds. */
  finish?(db: Sql): void;
}

/**
 * A read model: its tables, the event types it handles and how one of them changes the tables. The
 * runner gives it only the types it declares, upcast to their latest shape, inside the runner's
 * transaction together with the checkpoint, so each event takes effect exactly once.
 *
 * `E` is the union of events it handles (for the ledger's: `LedgerEvent<'AllocationSet' | ...>`),
 * `B` what it gathers in memory over a batch, if anything. The runner owns batching: it creates the
 * batch (`createBatch`), passes it to `evolve`/`evolveRecord`, and asks `commit` to write it before
 * the batch's transaction commits; a rolled-back batch is dropped. A bulk rebuild keeps one batch
 * for the whole replay (unless `isFull` says to write it earlier).
 */
export interface Projection<E extends AnyEvent = AnyEvent, B = unknown> {
  readonly name: string;
  /** Bump when `schema` or what the projection writes change: the runner then rebuilds it from position 0. */
  readonly version: number;
  /** Tables the projection owns; all names must start with `${name}_`. */
  readonly tables: readonly string[];
  readonly schema: string;
  /** The event types `evolve` is given ('all': every event, for tools that trace the log). */
  readonly handles: readonly E['type'][] | 'all';
  /** One event of a handled type. */
  evolve?(event: E, context: ProjectionContext<B>): void;
  /**
   * An activity or expenditure record before and after an event of its stream (the runner keeps the
   * shared `records` table); only changes that moved the record are given.
   */
  evolveRecord?(change: RecordChange, context: ProjectionContext<B>): void;
  /** A fresh accumulator for one batch. */
  createBatch?(): B;
  /** Writes what the batch gathered, inside its transaction (at its end, or once at the end of a bulk rebuild). */
  commit?(batch: B, db: Sql): void;
  /**
   * A bulk rebuild's state over its in-memory tables, for a projection whose writes are keyed rows
   * it can read back there (nothing else in the rebuild reads its tables); without it the
   * projection writes each event through SQL in a bulk rebuild too.
   */
  bulk?(tables: BulkTables): BulkProjection<E>;
  /** Whether the batch holds so much that the runner should write it now (a bulk rebuild's memory bound). */
  isFull?(batch: B): boolean;
  /**
   * Event types whose effect erases personal data (the rows they delete must be gone from the
   * disk too): once a batch holding one has committed, the runner copies the WAL into the database,
   * whose freed bytes are zeroed, and truncates the WAL, which still held the rows' old pages.
   */
  readonly erasures?: readonly E['type'][];
}
