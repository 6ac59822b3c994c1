import type Database from 'better-sqlite3';
import type { StoredEvent } from '@ihl/event-store';
import type { RecordChange } from './ledger-record';

/**
 * A read model: its tables, and how one event changes them. `apply` runs inside the runner's
 * transaction, together with the checkpoint, so each event takes effect exactly once.
 */
export interface Projection {
  readonly name: string;
  /** Bump when `schema` or `apply` change: the runner then rebuilds this read model from position 0. */
  readonly version: number;
  /** Tables the projection owns; all names must start with `${name}_`. */
  readonly tables: readonly string[];
  readonly schema: string;
  /**
   * `change` is the record before and after the event when the event belongs to an activity or
   * expenditure record (the runner keeps the shared `records` table), else null.
   */
  apply(db: Database.Database, event: StoredEvent, change: RecordChange | null): void;
  /**
   * Writes what `apply` gathered in memory. Called at the end of every batch, inside its
   * transaction; a bulk rebuild calls it once, when it has applied the whole log.
   */
  flush?(db: Database.Database): void;
  /** Forgets what `apply` gathered since the last flush (its transaction was rolled back). */
  discard?(db: Database.Database): void;
  /**
   * Event types whose effect erases personal data (the rows they delete must be gone from the
   * disk too): once a batch holding one has committed, the runner copies the WAL into the database,
   * whose freed bytes are zeroed, and truncates the WAL, which still held the rows' old pages.
   */
  readonly erasures?: readonly string[];
}
