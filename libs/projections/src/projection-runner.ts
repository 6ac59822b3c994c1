import Database from 'better-sqlite3';
import {
  backoffDelay,
  isDiskFile,
  preparePrivateDbFile,
  tightenSqliteSideFiles,
  type StoredEvent,
  type Subscription,
} from '@ihl/event-store';
import { dropDeferredVersionIndexes } from './as-of-tables';
import { BulkReplay, PAGE_CACHE } from './bulk-replay';
import { BulkTables } from './bulk-tables';
import { PositionWaiters } from './position-waiters';
import { ProjectionDispatch } from './projection-dispatch';
import type { ProjectionRunnerOptions, ProjectionRunnerState } from './projection-runner.options';
import { createRunnerTables, prepareSchemas, storedCheckpoint } from './read-model-schema';
import { WalMaintenance } from './wal-maintenance';

export * from './projection-runner.options';
export { readModelVersions, sameReadModelVersions } from './read-model-schema';

const DEFAULT_BATCH = 1000;
/**
 * The smallest live slice (liveSliceMs): each transaction also pays the projections' per-batch writes
 * (~2 ms of CPU with the ledger's read models, against ~0.2 ms per event), so smaller slices would
 * make the read models fall behind for good under sustained writes.
 */
const MIN_SLICE = 64;
const RESTART_INITIAL_MS = 1000;
const RESTART_MAX_MS = 60_000;

/**
 * Feeds projections from the global feed: live catch-up, read-your-writes and restarts here; the
 * events' way into the projections in ProjectionDispatch, a replay from 0 in BulkReplay, the file's
 * schemas and versions in read-model-schema.ts, its WAL in WalMaintenance. Events are applied in
 * batches: each batch's effects and the checkpoint of its last event are written in one
 * transaction, so a crash can neither skip nor repeat an event's effect.
 */
export class ProjectionRunner {
  readonly db: Database.Database;
  private subscription: Subscription | null = null;
  /** Published: what queries and waitFor see. During a bulk replay it stays at 0 until the end. */
  private position = 0;
  /** Applied and checkpointed. */
  private applied = 0;
  private readonly dispatch: ProjectionDispatch;
  private readonly wal: WalMaintenance;
  /** Set while a replay from 0 runs in bulk. */
  private bulk: BulkReplay | null = null;
  private checkpointTo!: Database.Statement;
  private readonly waiters = new PositionWaiters();
  private readonly batchSize: number;
  private applyTx!: Database.Transaction<(events: readonly StoredEvent[]) => void>;
  /** Delivered by the subscription, not yet applied; never more than one batch. */
  private pending: StoredEvent[] = [];
  /** Events of the next live slice (liveSliceMs): as many as the last slice's pace fits in the budget. */
  private sliceSize = MIN_SLICE;
  private scheduled: Promise<void> | null = null;
  private failed: Error | null = null;
  private stopped = false;
  private startFailed: ((e: Error) => void) | null = null;
  /** start() has resolved: later failures restart the runner (with `restart`). */
  private started = false;
  /** The last failure since the runner last caught up, how many there were and since when. */
  private trouble: { error: Error; failures: number; since: string } | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  /** Bumped by each new subscription: callbacks of one closed for a restart are ignored. */
  private feedGeneration = 0;
  private stopping: Promise<void> | null = null;

  constructor(private readonly options: ProjectionRunnerOptions) {
    const batch = Math.floor(options.batchSize ?? DEFAULT_BATCH);
    this.batchSize = Number.isFinite(batch) && batch > 0 ? batch : DEFAULT_BATCH;
    // Owner-only (it holds opened profiles), whatever the umask; -wal and -shm take its mode.
    preparePrivateDbFile(options.file);
    this.db = new Database(options.file);
    this.dispatch = new ProjectionDispatch(this.db, options.projections, options.upcasters, true);
    this.wal = new WalMaintenance(this.db, options);
    try {
      this.setUp();
    } catch (e) {
      // Not left open (a file that is not a database is set aside by the caller, then reopened).
      this.db.close();
      throw e;
    }
  }

  private setUp(): void {
    // Deleted rows (an erased person's profile, dropped tables) are overwritten, not just freed.
    if (isDiskFile(this.options.file)) this.db.pragma('secure_delete = ON');
    this.db.pragma('journal_mode = WAL');
    // Read models are rebuildable from the log, so a lost last commit costs a replay, not data.
    this.db.pragma('synchronous = NORMAL');
    // Live events look records up by id and move three indexes over ~1M records: a page cache of
    // 64 MiB (better-sqlite3 builds SQLite with 16 MiB) keeps their inner pages in memory; bounded memory either way.
    this.db.pragma(`cache_size = ${PAGE_CACHE}`);
    createRunnerTables(this.db);
    this.checkpointTo = this.db.prepare('update projection_checkpoints set position = ?');
    this.applyTx = this.db.transaction((events: readonly StoredEvent[]) => {
      for (const event of events) this.applyOne(event);
      this.dispatch.commit();
      this.checkpointTo.run(events[events.length - 1]!.position);
    });
    this.openAtCheckpoint();
    tightenSqliteSideFiles(this.options.file);
  }

  /**
   * Schemas checked (a stale projection, an interrupted bulk replay: dropped for a replay from 0)
   * and the runner set at the file's checkpoint. On construction, and again before each restart.
   */
  private openAtCheckpoint(): void {
    let bulk = false;
    // One transaction: a follower never sees fresh (or dropped) tables without the bulk marker.
    this.db.transaction(() => {
      prepareSchemas(this.db, this.options.projections);
      this.applied = storedCheckpoint(this.db);
      bulk = this.applied === 0 && this.options.bulkRebuild !== false;
      this.dispatch.records.prepare(bulk, this.options.bulkInMemory !== false);
      this.dispatch.versions.reset();
      if (bulk) {
        dropDeferredVersionIndexes(this.db);
        this.db.prepare("insert into projection_bulk values ('0')").run();
      }
    })();
    // Also in bulk (bulk-replay.ts): its end builds the indexes with a small one.
    this.db.pragma(`cache_size = ${PAGE_CACHE}`);
    const tables = bulk ? new BulkTables(this.db) : null;
    this.dispatch.writeInMemory(this.options.bulkInMemory === false ? null : tables);
    this.bulk = tables
      ? new BulkReplay(
          this.db,
          this.dispatch,
          this.batchSize,
          (event) => {
            this.applyOne(event);
            this.applied = event.position;
          },
          tables,
        )
      : null;
    this.position = bulk ? 0 : this.applied;
  }

  private applyOne(event: StoredEvent): void {
    if (this.dispatch.apply(event)) this.wal.erasureApplied();
  }

  /** Ends a bulk replay; then the read models are published at the position reached. */
  private finishBulk(): void {
    if (!this.bulk) return;
    if (this.failed || this.stopped) throw this.failed ?? new Error('the projection runner was stopped');
    this.bulk.finish(() => this.checkpointTo.run(this.applied));
    // Only once all of it is committed: a failed end leaves the runner (and the marker) in bulk.
    this.endBulk();
    this.advance(this.applied);
  }

  private endBulk(): void {
    this.dispatch.records.endBulk();
    this.dispatch.writeInMemory(null);
    this.bulk = null;
  }

  get reached(): number {
    return this.position;
  }

  /** Replaying from 0 in bulk: nothing in the file is complete until it ends. */
  get replaying(): boolean {
    return this.bulk !== null;
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
    this.wal.catchingUp(true, this.bulk !== null);
    this.subscription = this.options.store.subscribeToAll({
      after: this.applied,
      onEvent: (event) => (current() ? this.accept(event) : undefined),
      onCaughtUp: () => {
        if (this.failed || !current()) return;
        // The tail of the catch-up is applied before anyone is told it is caught up.
        try {
          this.applyPending();
          this.bulk?.commit();
          this.finishBulk();
          this.wal.catchingUp(false, false);
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
      this.pending = [];
      this.dispatch.discard();
      this.endBulk();
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
    if (this.bulk) return this.acceptInBulk(this.bulk, event);
    this.pending.push(event);
    this.scheduled ??= this.scheduleFlush();
    return this.pending.length >= this.batchSize ? this.scheduled : undefined;
  }

  /**
   * In bulk each event is applied as it arrives; after each committed transaction the feed waits
   * one turn of the event loop, so a serving process stays responsive. A failure fails the runner
   * (the sums gathered so far cannot be resumed: it starts over).
   */
  private acceptInBulk(bulk: BulkReplay, event: StoredEvent): Promise<void> | undefined {
    try {
      if (!bulk.apply(event)) return undefined;
    } catch (e) {
      this.fail(e);
      throw e;
    }
    return new Promise<void>((resolve) => setImmediate(resolve));
  }

  private scheduleFlush(): Promise<void> {
    const flushed = new Promise<void>((resolve, reject) =>
      setImmediate(() => {
        this.scheduled = null;
        try {
          this.applyLive();
          // What a slice left is applied on a later turn: requests are served in between.
          if (this.pending.length > 0) this.scheduled ??= this.scheduleFlush();
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

  /**
   * The pending events, or with liveSliceMs once started, the next slice of them. A whole batch
   * pending (the feed waits on it) is applied at once: under sustained writes, slices would leave the
   * read models an ever longer way behind, as requests take every turn in between.
   */
  private applyLive(): void {
    const budget = this.options.liveSliceMs;
    if (budget === undefined || !this.started || this.pending.length >= this.batchSize) return this.applyPending();
    if (this.pending.length === 0 || this.failed || this.stopped) return;
    const slice = this.pending.length > this.sliceSize ? this.pending.splice(0, this.sliceSize) : this.pending;
    if (slice === this.pending) this.pending = [];
    // Paced by CPU time: on a busy host the wall time of a slice also counts the time the process
    // waited for a core, which would shrink the slices to their minimum.
    const started = process.cpuUsage();
    this.applyBatch(slice);
    const used = process.cpuUsage(started);
    const perEvent = Math.max((used.user + used.system) / 1000 / slice.length, 0.001);
    this.sliceSize = Math.min(this.batchSize, Math.max(MIN_SLICE, Math.floor(budget / perEvent)));
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
      this.dispatch.discard();
      if (events.length === 1) throw batchError;
      for (const event of events) {
        try {
          this.applyTx([event]);
        } catch (eventError) {
          this.dispatch.discard();
          throw eventError;
        }
        this.advance(event.position);
      }
    } finally {
      // Also when a later event failed: an erasure before it has committed.
      if (!this.stopped) this.wal.scrub();
    }
  }

  private advance(position: number): void {
    this.applied = position;
    if (this.bulk) return;
    this.position = position;
    this.waiters.release(position);
  }

  private fail(e: unknown): void {
    // Duck-typed: an error from another realm (a native module's class under a test runner) stays itself.
    const error =
      e instanceof Error || typeof (e as Error | null)?.message === 'string' ? (e as Error) : new Error(String(e));
    this.wal.stopCheckpointer();
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
  async replayUntil(
    position: number,
    pageSize = Math.max(this.batchSize, 2000),
    /** Told the last position of each page read (a rebuild job reports it as its progress). */
    onPage?: (reached: number) => Promise<void> | void,
  ): Promise<void> {
    this.wal.catchingUp(true, this.bulk !== null);
    try {
      while (this.applied < position) {
        const page = await this.options.store.readAll({ after: this.applied, maxCount: pageSize });
        const upTo = page.filter((e) => e.position <= position);
        if (this.bulk) for (const e of upTo) await this.acceptInBulk(this.bulk, e);
        else if (upTo.length > 0) this.applyBatch(upTo);
        if (onPage && upTo.length > 0) await onPage(upTo[upTo.length - 1]!.position);
        if (upTo.length < page.length || page.length < pageSize) break;
      }
      this.bulk?.commit();
      this.finishBulk();
    } finally {
      this.wal.catchingUp(false, false);
    }
  }

  /** Read-your-writes: resolves once the read models include `position`, or fails after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<void> {
    return this.waiters.waitFor(position, timeoutMs, () => this.position);
  }

  /** Stops following the log; a second call waits for the first. */
  stop(): Promise<void> {
    this.stopping ??= this.close();
    return this.stopping;
  }

  private async close(): Promise<void> {
    this.wal.stopCheckpointer();
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    await this.subscription?.close();
    this.subscription = null;
    this.startFailed?.(new Error('the projection runner was stopped before it caught up'));
    this.startFailed = null;
    try {
      // Delivered events are applied rather than dropped: the next start need not read them again.
      this.applyPending();
      this.bulk?.commit();
    } finally {
      this.wal.close();
      this.stopped = true;
      this.db.close();
    }
  }
}
