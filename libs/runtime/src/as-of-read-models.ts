import Database from 'better-sqlite3';
import { createAsOfViews } from '@ihl/projections';
import { AsOfAnswers } from './as-of-answers';
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
  /** Answers already read, by query and position; bounded, dropped after an erasure. */
  readonly answers = new AsOfAnswers();
  private erasuresStatement: Database.Statement | null | undefined;

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

  /** How many persons' erasures the file has applied (a test's file without persons: none). */
  erasures(): number {
    if (this.erasuresStatement === undefined) {
      const exists = this.db
        .prepare("select 1 from sqlite_master where type = 'table' and name = 'reach_erasures'")
        .get();
      this.erasuresStatement = exists ? this.db.prepare('select count(*) as n from main.reach_erasures') : null;
    }
    return this.erasuresStatement ? (this.erasuresStatement.get() as { n: number }).n : 0;
  }

  close(): void {
    this.answers.clear();
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

  /** Kept by query, arguments and position: an answer as of a past position never changes (bar an erasure). */
  protected override answer<T>(query: string, args: readonly unknown[], read: () => T): T {
    const key = `${query} ${this.position} ${JSON.stringify(args, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`;
    return this.connection.answers.answer(key, this.connection.erasures(), read);
  }

  /** Nothing to wait for: the position is past. */
  override async waitFor(): Promise<void> {}

  /** Nothing is held per request. */
  async close(): Promise<void> {}
}
