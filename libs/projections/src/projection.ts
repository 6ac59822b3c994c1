import type Database from 'better-sqlite3';
import type { StoredEvent } from '@ihl/event-store';

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
  apply(db: Database.Database, event: StoredEvent): void;
}
