import Database from 'better-sqlite3';
import { createAsOfViews } from '@ihl/projections';
import { RunnerQueries, type ReadModelSource } from './read-models-queries';

/**
 * A read-only connection to the live read-model file whose temp views show each read-model table as
 * of one position (as-of-tables.ts): the same queries as live, on the rows that held then. One per
 * file, shared by every as-of request: nothing is copied per point asked, and a read is one
 * synchronous SQLite read (so requests cannot interleave between setting the point and reading).
 */
export class AsOfConnection {
  readonly db: Database.Database;
  /** The point the views show: set by each read before it runs. */
  private shown = 0;

  constructor(
    readonly file: string,
    /** The live source of the file: whether it can be read (a replay in place), how far it has read. */
    readonly live: () => ReadModelSource,
  ) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      createAsOfViews(this.db, () => this.shown);
    } catch (e) {
      this.db.close();
      throw e;
    }
  }

  /** The read models as of `position` (at most the position the live file has reached). */
  readAt(position: number): ReadModelsAsOf {
    return new ReadModelsAsOf(this, position);
  }

  /** Points the views at `position`; the caller reads at once, synchronously. */
  point(position: number): void {
    this.shown = position;
  }

  close(): void {
    this.db.close();
  }
}

/** The read models as of one position, read through the shared as-of connection. */
export class ReadModelsAsOf extends RunnerQueries {
  constructor(
    private readonly connection: AsOfConnection,
    private readonly position: number,
  ) {
    super();
  }

  /** Every query reaches the connection through here: the views are pointed at this position first. */
  protected get running(): ReadModelSource {
    this.connection.point(this.position);
    const live = this.connection.live();
    return {
      db: this.connection.db,
      reached: this.position,
      replaying: live.replaying ?? false,
      waitFor: () => Promise.resolve(),
      stop: () => Promise.resolve(),
    };
  }

  /** Nothing to wait for: the position is past. */
  override async waitFor(): Promise<void> {}

  /** Nothing is held per request. */
  async close(): Promise<void> {}
}
