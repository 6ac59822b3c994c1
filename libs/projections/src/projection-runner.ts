import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EventStore, StoredEvent, Subscription } from '@ihl/event-store';
import type { Projection } from './projection';

export interface ProjectionRunnerOptions {
  readonly store: EventStore;
  /** SQLite file of the read models (disposable: rebuilt from the log at will). */
  readonly file: string;
  readonly projections: readonly Projection[];
}

export class ReadModelNotCaughtUpError extends Error {
  override readonly name = 'ReadModelNotCaughtUpError';
  constructor(
    readonly wanted: number,
    readonly reached: number,
  ) {
    super(`the read models have reached position ${reached}, not yet ${wanted}`);
  }
}

/**
 * Feeds projections from the global feed. Each event and the new checkpoint are written in one
 * transaction, so a crash can neither skip nor repeat an event's effect.
 */
export class ProjectionRunner {
  readonly db: Database.Database;
  private subscription: Subscription | null = null;
  private position = 0;
  private waiters: { position: number; resolve: () => void }[] = [];
  private readonly applyTx: Database.Transaction<(event: StoredEvent) => void>;

  constructor(private readonly options: ProjectionRunnerOptions) {
    if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    // Read models are rebuildable from the log, so a lost last commit costs a replay, not data.
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(
      'create table if not exists projection_checkpoints (name text primary key, version integer not null, position integer not null)',
    );
    const checkpoint = this.db.prepare('update projection_checkpoints set position = ?');
    this.applyTx = this.db.transaction((event: StoredEvent) => {
      for (const p of options.projections) p.apply(this.db, event);
      checkpoint.run(event.position);
    });
    this.prepareSchemas();
    this.position = this.checkpoint();
  }

  /** A projection whose stored version differs from its code is dropped and rebuilt from 0. */
  private prepareSchemas(): void {
    const stored = new Map(
      (
        this.db.prepare('select name, version, position from projection_checkpoints').all() as {
          name: string;
          version: number;
          position: number;
        }[]
      ).map((r) => [r.name, r]),
    );
    const stale = this.options.projections.filter((p) => stored.get(p.name)?.version !== p.version);
    const rebuildAll = stale.length > 0 || stored.size !== this.options.projections.length;
    this.db.transaction(() => {
      if (rebuildAll) {
        // All projections share one checkpoint, so one stale projection replays all of them.
        for (const p of this.options.projections) for (const t of p.tables) this.db.exec(`drop table if exists ${t}`);
        this.db.exec('delete from projection_checkpoints');
      }
      for (const p of this.options.projections) {
        this.db.exec(p.schema);
        this.db
          .prepare('insert or ignore into projection_checkpoints (name, version, position) values (?, ?, 0)')
          .run(p.name, p.version);
      }
    })();
  }

  private checkpoint(): number {
    const row = this.db.prepare('select min(position) as p from projection_checkpoints').get() as { p: number | null };
    return row.p ?? 0;
  }

  get reached(): number {
    return this.position;
  }

  start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.subscription = this.options.store.subscribeToAll({
        after: this.position,
        onEvent: (event) => {
          this.applyTx(event);
          this.position = event.position;
          this.release();
        },
        onCaughtUp: () => resolve(),
        onError: (e) => reject(e),
      });
    });
  }

  /**
   * Feeds the log up to and including `position` and stops there: a read model as the ledger stood
   * then (used on a fresh in-memory runner for as-of queries). Reads in pages; never the whole log.
   */
  async replayUntil(position: number, pageSize = 2000): Promise<void> {
    while (this.position < position) {
      const page = await this.options.store.readAll({ after: this.position, maxCount: pageSize });
      const upTo = page.filter((e) => e.position <= position);
      for (const event of upTo) {
        this.applyTx(event);
        this.position = event.position;
      }
      if (upTo.length < page.length || page.length < pageSize) break;
    }
  }

  /** Read-your-writes: resolves once the read models include `position`, or fails after `timeoutMs`. */
  async waitFor(position: number, timeoutMs: number): Promise<void> {
    if (this.position >= position) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new ReadModelNotCaughtUpError(position, this.position));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({ position, resolve: done });
    });
  }

  private release(): void {
    const ready = this.waiters.filter((w) => w.position <= this.position);
    this.waiters = this.waiters.filter((w) => w.position > this.position);
    for (const w of ready) w.resolve();
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    this.subscription = null;
    this.db.close();
  }
}
