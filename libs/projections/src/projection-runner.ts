import Database from 'better-sqlite3';
import {
  backoffDelay,
  isDiskFile,
  preparePrivateDbFile,
  tightenSqliteSideFiles,
  type EventStore,
  type StoredEvent,
  type Subscription,
  type SubscriptionState,
  type UpcasterRegistry,
} from '@ihl/event-store';
import type { Projection } from './projection';
import { ProjectionDispatch } from './projection-dispatch';
import { RecordIndex } from './record-index';
import { WalCheckpointer } from './wal-checkpointer';

export interface ProjectionRunnerOptions {
  readonly store: EventStore;
  /** SQLite file of the read models (disposable: rebuilt from the log at will). */
  readonly file: string;
  readonly projections: readonly Projection[];
  /** Brings stored events to their latest shape before any projection sees them (default: none registered). */
  readonly upcasters?: UpcasterRegistry;
  /**
   * Most events applied in one transaction (default 1000). Catch-up and rebuilds fill whole
   * batches; live events are applied as soon as the feed has nothing more to hand over.
   */
  readonly batchSize?: number;
  /**
   * WAL pages between checkpoints while catching up or replaying (default 100,000, i.e. up to
   * ~400 MB of WAL on disk for a while; live it is SQLite's 1,000). A batch rewrites every index
   * page it touches; checkpointing rarely writes a page touched by many batches back once.
   */
  readonly catchUpWalPages?: number;
  /**
   * Replay from position 0 in bulk (default true): records appended without their indexes (built
   * at the end), sums gathered in memory and written at the end; nothing is published until it is
   * all in, and an interrupted bulk replay starts over. `false` replays batch by batch, as a
   * catch-up from a checkpoint does.
   */
  readonly bulkRebuild?: boolean;
  /**
   * Told when the runner stops because an event could not be applied after start() resolved (with
   * `restart`, each time, before the next try is scheduled).
   */
  readonly onError?: (error: Error) => void;
  /**
   * After start() has resolved, a failure (a write refused by a full disk, a feed that broke, a
   * projection that threw) restarts the runner from its checkpoint after a wait that doubles from
   * `initialDelayMs` (default 1,000) up to `maxDelayMs` (default 60,000), each drawn between half and
   * all of it; it goes on until it has caught up again. Meanwhile the read models keep answering as
   * of the checkpoint, and `state` says why they do not move. Default: no restart (a rebuild fails).
   */
  readonly restart?: { readonly initialDelayMs?: number; readonly maxDelayMs?: number };
  /**
   * Told when, after an erasure, the WAL could still not be truncated after the last retry (a
   * reader kept it): it still holds the erased rows' old pages until a later batch or the close
   * truncates it. Default: a process warning.
   */
  readonly onWalNotScrubbed?: (error: Error) => void;
  /** Waits before each new try to truncate the WAL after an erasure (default 50 ms, 250 ms, 1 s, 5 s). */
  readonly walScrubRetryMs?: readonly number[];
}

/**
 * Where the runner stands: `catching-up` until start() resolves, `running` while it follows the log
 * (`feed`: the subscription's own state, e.g. EventStoreDB reconnecting), `restarting` after a
 * failure while a restart is pending or catching up, `failed` (no restart asked for), `stopped`.
 */
export type ProjectionRunnerState =
  | { readonly status: 'catching-up' | 'stopped' }
  | { readonly status: 'running'; readonly feed?: SubscriptionState }
  | {
      readonly status: 'restarting' | 'failed';
      readonly error: string;
      /** Failures since the runner last caught up. */
      readonly failures: number;
      /** ISO-8601 instant of the first of them. */
      readonly since: string;
    };

export class ReadModelNotCaughtUpError extends Error {
  override readonly name = 'ReadModelNotCaughtUpError';
  constructor(
    readonly wanted: number,
    readonly reached: number,
  ) {
    super(`the read models have reached position ${reached}, not yet ${wanted}`);
  }
}

interface StoredVersion {
  readonly name: string;
  readonly version: number;
}

/**
 * The read models a file holds for these projections, by name with their versions: the shared
 * records and each projection, one `projection_checkpoints` row each.
 */
export function readModelVersions(projections: readonly Projection[]): ReadonlyMap<string, number> {
  return new Map([[RecordIndex.NAME, RecordIndex.VERSION], ...projections.map((p) => [p.name, p.version] as const)]);
}

/** Whether a file's checkpoint rows are exactly these read models at these versions. */
export function sameReadModelVersions(
  stored: readonly StoredVersion[],
  expected: ReadonlyMap<string, number>,
): boolean {
  return stored.length === expected.size && stored.every((r) => expected.get(r.name) === r.version);
}

const DEFAULT_BATCH = 1000;
const DEFAULT_CATCH_UP_WAL_PAGES = 100_000;
const LIVE_WAL_PAGES = 1000;
const PAGE_CACHE = -65536;
/** A bulk replay appends: a small cache is enough until the indexes are built (memory stays flat). */
const BULK_PAGE_CACHE = -4096;
const WAL_SCRUB_RETRY_MS = [50, 250, 1000, 5000];
const RESTART_INITIAL_MS = 1000;
const RESTART_MAX_MS = 60_000;

/**
 * Feeds projections from the global feed. Events are applied in batches: each batch's effects and
 * the checkpoint of its last event are written in one transaction, so a crash can neither skip nor
 * repeat an event's effect.
 */
export class ProjectionRunner {
  readonly db: Database.Database;
  private subscription: Subscription | null = null;
  /** Published: what queries and waitFor see. During a bulk replay it stays at 0 until the end. */
  private position = 0;
  /** Applied and checkpointed. */
  private applied = 0;
  private readonly dispatch: ProjectionDispatch;
  /** Events applied in the open bulk transaction. */
  private inBulkTx = 0;
  private checkpointTo!: Database.Statement;
  private waiters: { position: number; resolve: () => void }[] = [];
  private readonly batchSize: number;
  private applyTx!: Database.Transaction<(events: readonly StoredEvent[]) => void>;
  /** Delivered by the subscription, not yet applied; never more than one batch. */
  private pending: StoredEvent[] = [];
  private scheduled: Promise<void> | null = null;
  private failed: Error | null = null;
  /** While a bulk replay runs on a file: its WAL is checkpointed on a second thread. */
  private checkpointer: WalCheckpointer | null = null;
  private stopped = false;
  private startFailed: ((e: Error) => void) | null = null;
  private readonly onDisk: boolean;
  /** An erasure was applied; the WAL has not been truncated since. */
  private erasurePending = false;
  private scrubTimer: NodeJS.Timeout | null = null;
  private scrubRetries = 0;
  /** start() has resolved: later failures restart the runner (with `restart`). */
  private started = false;
  /** The last failure since the runner last caught up, how many there were and since when. */
  private trouble: { error: Error; failures: number; since: string } | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  /** Bumped by each new subscription: callbacks of one closed for a restart are ignored. */
  private feedGeneration = 0;

  constructor(private readonly options: ProjectionRunnerOptions) {
    const batch = Math.floor(options.batchSize ?? DEFAULT_BATCH);
    this.batchSize = Number.isFinite(batch) && batch > 0 ? batch : DEFAULT_BATCH;
    this.onDisk = isDiskFile(options.file);
    // Owner-only (it holds opened profiles), whatever the umask; -wal and -shm take its mode.
    preparePrivateDbFile(options.file);
    this.db = new Database(options.file);
    this.dispatch = new ProjectionDispatch(this.db, options.projections, options.upcasters);
    try {
      this.setUp();
    } catch (e) {
      // Not left open (a file that is not a database is set aside by the caller, then reopened).
      this.db.close();
      throw e;
    }
  }

  private setUp(): void {
    const options = this.options;
    // Deleted rows (an erased person's profile, dropped tables) are overwritten, not just freed.
    if (this.onDisk) this.db.pragma('secure_delete = ON');
    this.db.pragma('journal_mode = WAL');
    // Read models are rebuildable from the log, so a lost last commit costs a replay, not data.
    this.db.pragma('synchronous = NORMAL');
    // Live events look records up by id and move three indexes over ~1M records: a page cache of
    // 64 MiB (default 2 MiB) keeps their inner pages in memory; bounded memory either way.
    this.db.pragma(`cache_size = ${PAGE_CACHE}`);
    this.db.exec(
      'create table if not exists projection_checkpoints (name text primary key, version integer not null, position integer not null)',
    );
    // Present while a bulk replay is under way: if the process stops before it ends, the next
    // start replays from 0 again (the file lacks its indexes and the gathered sums).
    this.db.exec('create table if not exists projection_bulk (since text not null)');
    this.checkpointTo = this.db.prepare('update projection_checkpoints set position = ?');
    this.applyTx = this.db.transaction((events: readonly StoredEvent[]) => {
      for (const event of events) this.applyOne(event);
      this.dispatch.commit();
      this.checkpointTo.run(events[events.length - 1]!.position);
    });
    this.openAtCheckpoint();
    tightenSqliteSideFiles(options.file);
  }

  /**
   * Schemas checked (a stale projection, an interrupted bulk replay: dropped for a replay from 0)
   * and the runner set at the file's checkpoint. On construction, and again before each restart.
   */
  private openAtCheckpoint(): void {
    let bulk = false;
    // One transaction: a follower never sees fresh (or dropped) tables without the bulk marker.
    this.db.transaction(() => {
      this.prepareSchemas();
      this.applied = this.checkpoint();
      bulk = this.applied === 0 && this.options.bulkRebuild !== false;
      this.records.prepare(bulk);
      if (bulk) this.db.prepare("insert into projection_bulk values ('0')").run();
    })();
    this.db.pragma(`cache_size = ${bulk ? BULK_PAGE_CACHE : PAGE_CACHE}`);
    this.position = bulk ? 0 : this.applied;
  }

  private applyOne(event: StoredEvent): void {
    if (this.dispatch.apply(event)) this.erasurePending = true;
  }

  private get records(): RecordIndex {
    return this.dispatch.records;
  }

  private discardAll(): void {
    this.dispatch.discard();
  }

  /**
   * Ends a bulk replay: the indexes, then the gathered sums with the checkpoint and the end of the
   * marker; then the read models are published at the position reached.
   */
  private finishBulk(): void {
    if (!this.records.inBulk) return;
    if (this.failed || this.stopped) throw this.failed ?? new Error('the projection runner was stopped');
    // Built with the bulk's small cache: SQLite sorts in more, smaller runs, which was faster here.
    // Committed on its own: the sums written after it in the same transaction took twice as long
    // (0.6 s more at 1M events). The marker stays until the second commit, so a stop in between
    // still replays from 0.
    this.db.transaction(() => this.records.buildIndexes())();
    this.db.transaction(() => {
      this.db.pragma(`cache_size = ${PAGE_CACHE}`);
      this.dispatch.commit();
      this.checkpointTo.run(this.applied);
      this.db.exec('delete from projection_bulk');
    })();
    // Only once all of it is committed: a failed end leaves the runner (and the marker) in bulk.
    this.records.endBulk();
    this.advance(this.applied);
  }

  /** A projection whose stored version differs from its code is dropped and rebuilt from 0. */
  /** Runs inside the constructor's transaction. */
  private prepareSchemas(): void {
    const stored = this.db.prepare('select name, version from projection_checkpoints').all() as StoredVersion[];
    const expected = readModelVersions(this.options.projections);
    const interrupted = this.db.prepare('select count(*) as n from projection_bulk').get() as { n: number };
    if (!sameReadModelVersions(stored, expected) || interrupted.n > 0) {
      // All projections share one checkpoint, so one stale projection replays all of them.
      // Every read-model table and view, also those an older version had and this one no longer lists.
      const objects = this.db
        .prepare(
          "select type, name from sqlite_master where type in ('table', 'view') and name not like 'projection\\_%' escape '\\' and name not like 'sqlite\\_%' escape '\\' order by type = 'table'",
        )
        .all() as { type: 'table' | 'view'; name: string }[];
      for (const o of objects) this.db.exec(`drop ${o.type} if exists "${o.name}"`);
      this.db.exec('delete from projection_checkpoints');
      this.db.exec('delete from projection_bulk');
    }
    this.db.exec(RecordIndex.SCHEMA);
    for (const p of this.options.projections) this.db.exec(p.schema);
    const insert = this.db.prepare(
      'insert or ignore into projection_checkpoints (name, version, position) values (?, ?, 0)',
    );
    for (const [name, version] of expected) insert.run(name, version);
  }

  private checkpoint(): number {
    const row = this.db.prepare('select min(position) as p from projection_checkpoints').get() as { p: number | null };
    return row.p ?? 0;
  }

  get reached(): number {
    return this.position;
  }

  /** Replaying from 0 in bulk: nothing in the file is complete until it ends. */
  get replaying(): boolean {
    return this.records.inBulk;
  }

  /** Why the runner stopped following the log, if it did. */
  get failure(): Error | null {
    return this.failed;
  }

  /** Where the runner stands (for readiness): following the log, restarting after a failure, ... */
  get state(): ProjectionRunnerState {
    if (this.stopping) return { status: 'stopped' };
    if (this.trouble) {
      const { error, failures, since } = this.trouble;
      return { status: this.options.restart ? 'restarting' : 'failed', error: error.message, failures, since };
    }
    if (!this.started) return { status: 'catching-up' };
    const feed = this.subscription?.state;
    return feed ? { status: 'running', feed } : { status: 'running' };
  }

  /** Catches up from the checkpoint (resolves then), and keeps following the log until stop(). */
  start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.startFailed = reject;
      this.follow(() => {
        this.startFailed = null;
        this.started = true;
        resolve();
      });
    });
  }

  /** Subscribes after the checkpoint; `caughtUp` once the catch-up is applied and published. */
  private follow(caughtUp: () => void): void {
    const generation = ++this.feedGeneration;
    const current = () => generation === this.feedGeneration;
    this.catchingUp(true);
    this.subscription = this.options.store.subscribeToAll({
      after: this.applied,
      onEvent: (event) => (current() ? this.accept(event) : undefined),
      onCaughtUp: () => {
        if (this.failed || !current()) return;
        // The tail of the catch-up is applied before anyone is told it is caught up.
        try {
          this.applyPending();
          this.commitBulk();
          this.finishBulk();
          this.catchingUp(false);
        } catch (e) {
          return this.fail(e);
        }
        caughtUp();
      },
      onError: (e) => {
        if (current()) this.fail(e);
      },
    });
  }

  /**
   * A restart after a failure: the feed closed, the in-memory state dropped, the file opened again
   * at its checkpoint (an interrupted bulk replay starts over from 0), and the log followed from
   * there. Until it has caught up, queries keep answering as of the checkpoint.
   */
  private async restart(): Promise<void> {
    this.restartTimer = null;
    if (this.stopping) return;
    const old = this.subscription;
    this.subscription = null;
    this.feedGeneration += 1;
    await old?.close().catch(() => undefined);
    if (this.stopping) return;
    try {
      if (this.db.inTransaction) this.db.exec('rollback');
      this.inBulkTx = 0;
      this.pending = [];
      this.discardAll();
      this.records.endBulk();
      this.failed = null;
      this.openAtCheckpoint();
      this.follow(() => {
        this.trouble = null;
      });
    } catch (e) {
      this.failed = null;
      this.fail(e);
    }
  }

  private scheduleRestart(): void {
    const policy = this.options.restart;
    if (!policy || !this.started || this.stopping || this.restartTimer || !this.trouble) return;
    const initial = Math.max(1, policy.initialDelayMs ?? RESTART_INITIAL_MS);
    const delay = backoffDelay(this.trouble.failures, initial, Math.max(initial, policy.maxDelayMs ?? RESTART_MAX_MS));
    this.restartTimer = setTimeout(() => void this.restart(), delay);
    // A serving process has its server to keep it up; a stopped one must not be held by a retry.
    this.restartTimer.unref();
  }

  /**
   * The subscription hands over one event at a time. A full batch makes it wait (back-pressure:
   * memory stays at one batch); otherwise the batch is applied on the next turn of the event loop,
   * i.e. once the feed has delivered everything it had, so live events wait for no one.
   */
  private accept(event: StoredEvent): Promise<void> | undefined {
    if (this.failed) throw this.failed;
    if (this.records.inBulk) return this.acceptInBulk(event);
    this.pending.push(event);
    this.scheduled ??= this.scheduleFlush();
    return this.pending.length >= this.batchSize ? this.scheduled : undefined;
  }

  /**
   * In bulk each event is applied as it arrives, inside a transaction committed every `batchSize`
   * events (then the feed waits one turn of the event loop, so a serving process stays
   * responsive): nothing holds a batch of events, so memory stays flat over the whole log. No
   * checkpoint is written before the end, so a process following the file never serves half a
   * replay; a failure fails the runner (the sums gathered so far cannot be resumed: it starts over).
   */
  private acceptInBulk(event: StoredEvent): Promise<void> | undefined {
    try {
      if (this.inBulkTx === 0) this.db.exec('begin');
      this.applyOne(event);
      this.applied = event.position;
      if (++this.inBulkTx < this.batchSize) return undefined;
      this.commitBulk();
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('rollback');
      this.inBulkTx = 0;
      this.discardAll();
      this.fail(e);
      throw e;
    }
    return new Promise<void>((resolve) => setImmediate(resolve));
  }

  private commitBulk(): void {
    if (this.inBulkTx === 0) return;
    this.dispatch.writeRecords();
    this.db.exec('commit');
    this.inBulkTx = 0;
  }

  private scheduleFlush(): Promise<void> {
    const flushed = new Promise<void>((resolve, reject) =>
      setImmediate(() => {
        this.scheduled = null;
        try {
          this.applyPending();
          resolve();
        } catch (e) {
          this.fail(e);
          reject(e as Error);
        }
      }),
    );
    // Nobody awaits a partial batch: its failure reaches the caller through fail() instead.
    flushed.catch(() => undefined);
    return flushed;
  }

  private applyPending(): void {
    if (this.pending.length === 0 || this.failed || this.stopped) return;
    const batch = this.pending;
    this.pending = [];
    this.applyBatch(batch);
  }

  /**
   * One transaction for the batch. If it throws, nothing of it was written; the events are then
   * applied one by one so the read models stop exactly before the event that fails, as they would
   * without batching, and that event's error is thrown.
   */
  private applyBatch(events: readonly StoredEvent[]): void {
    try {
      this.applyTx(events);
      this.advance(events[events.length - 1]!.position);
    } catch (batchError) {
      this.discardAll();
      if (events.length === 1) throw batchError;
      for (const event of events) {
        try {
          this.applyTx([event]);
        } catch (eventError) {
          this.discardAll();
          throw eventError;
        }
        this.advance(event.position);
      }
    } finally {
      // Also when a later event failed: an erasure before it has committed.
      this.scrubWal();
    }
  }

  /**
   * After an erasure has committed: its rows are zeroed in the database pages (secure_delete), but
   * the WAL still holds the pages as they were. A TRUNCATE checkpoint copies the WAL into the
   * database and empties it. A reader inside the WAL (a follower mid-query) keeps it: never waited
   * for here (that would hold up the event loop), but tried again a few times on a timer, then
   * reported; every later batch, and the close, try again until it is done.
   */
  private scrubWal(): void {
    if (!this.erasurePending || !this.onDisk || this.stopped || !this.db.open || this.db.inTransaction) return;
    if (this.truncateWal()) {
      this.erasurePending = false;
      this.scrubRetries = 0;
      if (this.scrubTimer) clearTimeout(this.scrubTimer);
      this.scrubTimer = null;
      return;
    }
    if (this.scrubTimer) return;
    const delays = this.options.walScrubRetryMs ?? WAL_SCRUB_RETRY_MS;
    if (this.scrubRetries < delays.length) {
      this.scrubTimer = setTimeout(() => {
        this.scrubTimer = null;
        this.scrubRetries += 1;
        this.scrubWal();
        if (this.erasurePending && this.scrubRetries === delays.length) this.reportWalNotScrubbed();
      }, delays[this.scrubRetries]);
      this.scrubTimer.unref();
    }
  }

  /** A TRUNCATE checkpoint that gives up at once (SQLite's busy handler would block the thread) if a reader is in the WAL. */
  private truncateWal(): boolean {
    const timeout = this.db.pragma('busy_timeout', { simple: true }) as number;
    this.db.pragma('busy_timeout = 0');
    try {
      const [r] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number }[];
      return r !== undefined && r.busy === 0 && r.log === 0;
    } catch {
      return false;
    } finally {
      this.db.pragma(`busy_timeout = ${timeout}`);
    }
  }

  private reportWalNotScrubbed(): void {
    const error = new Error(
      `the WAL of ${this.options.file} could not be truncated after an erasure (a reader kept it): it still holds erased rows until a later batch or the close truncates it`,
    );
    if (this.options.onWalNotScrubbed) this.options.onWalNotScrubbed(error);
    else process.emitWarning(error.message, 'WalScrubWarning');
  }

  /**
   * Rare checkpoints while catching up (in bulk, a second thread copies the WAL meanwhile);
   * afterwards SQLite's default and a WAL truncated to nothing.
   */
  private catchingUp(on: boolean): void {
    if (this.options.file === ':memory:') return;
    if (!on) this.stopCheckpointer();
    this.db.pragma(
      `wal_autocheckpoint = ${on ? (this.options.catchUpWalPages ?? DEFAULT_CATCH_UP_WAL_PAGES) : LIVE_WAL_PAGES}`,
    );
    // A file by its path only (not '' or a URI), which the thread can open again by name.
    if (
      on &&
      this.records.inBulk &&
      !this.checkpointer &&
      this.options.file !== '' &&
      !this.options.file.startsWith('file:')
    ) {
      try {
        this.checkpointer = new WalCheckpointer(this.options.file);
      } catch {
        // No thread (none can be started here): the checkpoint at the end does all of it.
      }
    }
    if (on) return;
    // After a replay that applied an erasure: the same, with its retries and report.
    if (this.erasurePending) this.scrubWal();
    else this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  private stopCheckpointer(): void {
    const c = this.checkpointer;
    if (!c) return;
    this.checkpointer = null;
    // Only slower, never wrong: said, not thrown.
    if (!c.stop()) process.emitWarning('the WAL checkpoint thread did not stop in time', 'WalCheckpointWarning');
    if (c.failure) process.emitWarning(`the WAL checkpoint thread failed: ${c.failure}`, 'WalCheckpointWarning');
  }

  private advance(position: number): void {
    this.applied = position;
    if (this.records.inBulk) return;
    this.position = position;
    this.release();
  }

  private fail(e: unknown): void {
    // Duck-typed: an error from another realm (a native module's class under a test runner) stays itself.
    const error =
      e instanceof Error || typeof (e as Error | null)?.message === 'string' ? (e as Error) : new Error(String(e));
    this.stopCheckpointer();
    if (this.failed) return;
    this.failed = error;
    this.pending = [];
    if (this.startFailed) {
      this.startFailed(error);
      this.startFailed = null;
      return;
    }
    this.trouble = {
      error,
      failures: (this.trouble?.failures ?? 0) + 1,
      since: this.trouble?.since ?? new Date().toISOString(),
    };
    this.options.onError?.(error);
    this.scheduleRestart();
  }

  /**
   * Feeds the log up to and including `position` and stops there: a read model as the ledger stood
   * then (used on a fresh in-memory runner for as-of queries). Reads in pages, one transaction per
   * page; never the whole log.
   */
  async replayUntil(position: number, pageSize = Math.max(this.batchSize, 2000)): Promise<void> {
    this.catchingUp(true);
    try {
      while (this.applied < position) {
        const page = await this.options.store.readAll({ after: this.applied, maxCount: pageSize });
        const upTo = page.filter((e) => e.position <= position);
        if (this.records.inBulk) for (const e of upTo) await this.acceptInBulk(e);
        else if (upTo.length > 0) this.applyBatch(upTo);
        if (upTo.length < page.length || page.length < pageSize) break;
      }
      this.commitBulk();
      this.finishBulk();
    } finally {
      this.catchingUp(false);
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
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.position <= this.position);
    this.waiters = this.waiters.filter((w) => w.position > this.position);
    for (const w of ready) w.resolve();
  }

  private stopping: Promise<void> | null = null;

  /** Stops following the log; a second call waits for the first. */
  stop(): Promise<void> {
    this.stopping ??= this.close();
    return this.stopping;
  }

  private async close(): Promise<void> {
    this.stopCheckpointer();
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    await this.subscription?.close();
    this.subscription = null;
    this.startFailed?.(new Error('the projection runner was stopped before it caught up'));
    this.startFailed = null;
    try {
      // Delivered events are applied rather than dropped: the next start need not read them again.
      this.applyPending();
      this.commitBulk();
    } finally {
      // A last try: the close removes the WAL only if no other connection (a follower) has the file open.
      if (this.erasurePending && this.onDisk && this.db.open && !this.db.inTransaction) this.truncateWal();
      if (this.scrubTimer) clearTimeout(this.scrubTimer);
      this.scrubTimer = null;
      this.stopped = true;
      this.stopCheckpointer();
      this.db.close();
    }
  }
}
