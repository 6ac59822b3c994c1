import Database from 'better-sqlite3';
import { ReadModelNotCaughtUpError, createAsOfViews } from '@ihl/projections';
import { AsOfAnswers } from './as-of-answers';
import { AsOfQueryPool, type AsOfPoolOptions } from './as-of-query.pool';
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
  private threads: AsOfQueryPool | null = null;

  constructor(
    readonly file: string,
    /** The live source of the file: whether it can be read (a replay in place), how far it has read. */
    readonly live: () => ReadModelSource,
    /** The threads answering off the caller's thread (as-of-query.pool.ts); false: none. */
    private readonly pooled: AsOfPoolOptions | false = false,
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

  /** The threads of this file if started (`pool` starts them). */
  get started(): AsOfQueryPool | null {
    return this.threads;
  }

  /** The threads of this file, started on first use (none if the connection was opened without). */
  get pool(): AsOfQueryPool | null {
    if (this.pooled && !this.threads && this.db.open) this.threads = new AsOfQueryPool(this.file, this.pooled);
    return this.threads;
  }

  close(): void {
    this.answers.clear();
    this.db.close();
    void this.threads?.close();
    this.threads = null;
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

  protected override get talliesFromPersons(): boolean {
    return true;
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

  /** Answers a thread read for this request, by key (also those too large for the shared cache). */
  private readonly fetched = new Map<string, { readonly value: unknown; readonly erasures: number }>();
  /** While reading for `offThread`: an answer neither kept nor fetched is asked of a thread. */
  private collecting = false;

  /** Kept by query, arguments and position: an answer as of a past position never changes (bar an erasure). */
  protected override answer<T>(query: string, args: readonly unknown[], read: () => T): T {
    const key = `${query} ${this.position} ${JSON.stringify(args, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`;
    const erasures = this.connection.erasures();
    const kept = this.connection.answers.get<T>(key, erasures);
    if (kept.found) return kept.value;
    const fetched = this.fetched.get(key);
    if (fetched && fetched.erasures === erasures) return structuredClone(fetched.value) as T;
    const threads = this.connection.started;
    if (this.collecting && !threads?.short(query)) throw new AnswerNeeded(key, query, args);
    const started = performance.now();
    const value = this.connection.answers.answer(key, erasures, read);
    threads?.observe(query, performance.now() - started);
    return value;
  }

  /**
   * `read` (as in `consistently`), with the answers it needs read by the connection's threads, so the
   * caller's thread is free meanwhile: `read` runs, and each answer it asks for that is not kept yet
   * stops it, is read on a thread, and `read` runs again. Queries the cache does not keep, those that
   * lately read faster than a hop to a thread is worth (the pool's `short`), and everything when no
   * thread can take it, are read here as before.
   */
  async offThread<T>(read: (models: this) => T): Promise<T> {
    for (let round = 0; round < 16; round++) {
      let needed: AnswerNeeded;
      this.collecting = true;
      try {
        return this.consistently(() => read(this));
      } catch (e) {
        if (!(e instanceof AnswerNeeded)) throw e;
        needed = e;
      } finally {
        this.collecting = false;
      }
      const answer = this.connection.pool?.run(this.position, needed.query, needed.args);
      if (!answer) break;
      try {
        const { value, erasures } = await answer;
        this.connection.answers.keep(needed.key, erasures, value);
        this.fetched.set(needed.key, { value, erasures });
      } catch {
        // The file was swapped meanwhile (the threads stop with its connection): asked again, the
        // next connection answers; as while a file is replayed, the answer is "not yet".
        if (!this.connection.db.open) throw new ReadModelNotCaughtUpError(this.position, 0);
        // A thread that failed: read here, where an error has its type.
        break;
      }
    }
    return this.consistently(() => read(this));
  }

  /** Nothing to wait for: the position is past. */
  override async waitFor(): Promise<void> {}

  /** Nothing is held per request. */
  async close(): Promise<void> {}
}

/** Thrown inside `offThread`'s read for an answer to be read on a thread first. */
class AnswerNeeded extends Error {
  constructor(
    readonly key: string,
    readonly query: string,
    readonly args: readonly unknown[],
  ) {
    super(`as-of answer ${query} to be read on a thread`);
  }
}
