import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { upcasters } from '@ihl/application';
import type { EventStore } from '@ihl/event-store';
import {
  ProjectionRunner,
  ReadModelNotCaughtUpError,
  hourEnding,
  readModelVersions,
  type Projection,
  type ProfileOpener,
} from '@ihl/projections';
import { isCorruptDatabaseError } from './corrupt-read-model-file';
import { ReadModelFollower } from './read-model-follower';
import { currentReadModelFile, removeReadModelFile, removeStaleReadModelFiles } from './read-model-files';
import { ledgerProjections } from './read-models-projections';
import { AsOfConnection, type ReadModelsAsOf } from './as-of-read-models';
import { RunnerQueries, type ReadModelSource } from './read-models-queries';
import { errorText, followerState, type ReadModelsFeedState } from './read-models-state';

export * from './read-models-projections';
export * from './read-models-queries';
export * from './read-models-state';

export interface ReadModelsOptions {
  /**
   * A runner that fails while serving (a full disk, a feed that broke, a projection that threw)
   * restarts from its checkpoint after a wait doubling from `initialDelayMs` (default 1,000) up to
   * `maxDelayMs` (default 60,000), with jitter.
   */
  readonly restart?: { readonly initialDelayMs?: number; readonly maxDelayMs?: number };
  /** Threads answering as-of queries off this thread (as-of-query.pool.ts; default AS_OF_THREADS or 2, 0: none). */
  readonly asOfThreads?: number;
  /**
   * Live events are applied in transactions of about this many ms of CPU (default 20), with a turn
   * of the event loop between them: the read models run in the process that serves requests, and a
   * burst of writes (batches) would otherwise hold every request for a 1,000-event transaction.
   */
  readonly liveSliceMs?: number;
}

const LIVE_SLICE_MS = 20;

/**
 * `run`: this process feeds the projections from the store. `follow`: another process (the worker)
 * does, and this one reads its file.
 */
export type ReadModelsMode = 'run' | 'follow';

/**
 * The read models of this process; started by processes that serve queries. The file they live in
 * is named by DATA_DIR/read-models.current: when `ledger rebuild` points it at a freshly built file,
 * the new file is caught up and swapped in while the old one keeps answering, then removed.
 */
export class ReadModels extends RunnerQueries {
  private current: ReadModelSource | null = null;
  private currentFile: string | null = null;
  private watcher: NodeJS.Timeout | null = null;
  private swapping: Promise<void> | null = null;

  private readonly projections: Projection[];

  constructor(
    private readonly store: EventStore,
    private readonly dataDir: string,
    openProfile: ProfileOpener = () => null,
    private readonly mode: ReadModelsMode = 'run',
    private readonly watchMs = 500,
    private readonly options: ReadModelsOptions = {},
  ) {
    super();
    this.projections = ledgerProjections(openProfile, () => (this.unreadableProfiles += 1));
  }

  private unreadableProfiles = 0;

  /** Runners still catching up (a first start, or a file to swap to): stop() must reach them too. */
  private readonly opening = new Set<ProjectionRunner>();
  /** Bumped by stop(): a start() that was catching up meanwhile ends quietly instead of serving. */
  private generation = 0;

  async start(): Promise<void> {
    if (this.current || this.watcher) return;
    const generation = this.generation;
    this.removeStaleFiles();
    const file = currentReadModelFile(this.dataDir);
    if (this.mode === 'run' || existsSync(file)) {
      let source: ReadModelSource;
      try {
        source = await this.open(file);
      } catch (e) {
        if (generation !== this.generation) return;
        // Following: the worker may be about to replace a file that cannot be read; the watcher
        // tries again, and readiness names the file and the error meanwhile.
        if (this.mode === 'follow') {
          this.followError = { file, error: errorText(e) };
          this.watch();
          return;
        }
        throw e;
      }
      if (generation !== this.generation) return source.stop();
      this.use(source, file);
    }
    this.watch();
  }

  private watch(): void {
    this.watcher = setInterval(() => void this.checkPointer(), this.watchMs);
    this.watcher.unref();
  }

  /**
   * Read-model files left by a killed rebuild hold profiles, of persons erased since too: removed
   * unless a live process is building them. The writing process also removes files a rebuild
   * replaced while none was running. Only said if it fails: serving goes on either way.
   */
  private removeStaleFiles(): void {
    try {
      removeStaleReadModelFiles(this.dataDir, { superseded: this.mode === 'run' });
    } catch (e) {
      process.emitWarning(
        `stale read-model files in ${this.dataDir} could not be removed: ${e}`,
        'ReadModelFilesWarning',
      );
    }
  }

  /** Why the file followed could not be opened, while it cannot (follow mode). */
  private followError: { file: string; error: string } | null = null;

  /**
   * Opens the file and, in `run` mode, catches it up. A file SQLite cannot read as a database is
   * removed (said in a warning) and the read models are rebuilt from the log, as for a missing file:
   * they are disposable.
   */
  private async open(file: string): Promise<ReadModelSource> {
    if (this.mode === 'follow') return new ReadModelFollower(file, readModelVersions(this.projections));
    try {
      return await this.startRunner(file);
    } catch (e) {
      if (!isCorruptDatabaseError(e)) throw e;
      // Not kept for inspection: a copy would hold per-person profile rows no later erasure reaches.
      removeReadModelFile(file);
      process.emitWarning(
        `the read-model file ${file} could not be read (${errorText(e)}): removed (it held personal data no erasure would reach) and rebuilt from the event log`,
        'ReadModelFilesWarning',
      );
      return this.startRunner(file);
    }
  }

  private async startRunner(file: string): Promise<ProjectionRunner> {
    const runner = new ProjectionRunner({
      store: this.store,
      file,
      projections: this.projections,
      upcasters,
      restart: this.options.restart ?? {},
      liveSliceMs: this.options.liveSliceMs ?? LIVE_SLICE_MS,
      onError: (e) =>
        process.emitWarning(
          `the read models in ${file} stopped at position ${runner.reached}: ${errorText(e)}; restarting from there with backoff`,
          'ReadModelFeedWarning',
        ),
    });
    this.opening.add(runner);
    try {
      await runner.start();
    } catch (e) {
      // Stopping a runner on a broken file may fail too: the first error is the one that counts.
      await runner.stop().catch(() => undefined);
      throw e;
    } finally {
      this.opening.delete(runner);
    }
    return runner;
  }

  private use(source: ReadModelSource, file: string): void {
    this.current = source;
    this.currentFile = file;
    this.followError = null;
  }

  /** Swaps to the file the pointer names, once that file has caught up with the one in use. */
  private async checkPointer(): Promise<void> {
    if (this.swapping) return;
    const file = currentReadModelFile(this.dataDir);
    // Following: the same name may now be another file (the writer set a corrupt one aside).
    const replaced = this.current instanceof ReadModelFollower && this.current.replaced;
    if ((file === this.currentFile && !replaced) || (this.mode === 'follow' && !existsSync(file))) return;
    const generation = this.generation;
    this.swapping = (async () => {
      const next = await this.open(file);
      try {
        const old = this.current;
        // Until the new file has caught up with the one in use, answers keep coming from the old one;
        // checked again right before the swap, as the old file may have moved on meanwhile.
        const deadline = Date.now() + 60_000;
        while (old && next.reached < old.reached) {
          // Waited for in short slices: a stop() meanwhile must not wait for the catch-up.
          if (generation !== this.generation) throw new Error('stopped during the swap');
          if (Date.now() > deadline) throw new ReadModelNotCaughtUpError(old.reached, next.reached);
          await next.waitFor(old.reached, 100).catch((e: unknown) => {
            if (!(e instanceof ReadModelNotCaughtUpError)) throw e;
          });
        }
        if (generation !== this.generation) throw new Error('stopped during the swap');
        const oldFile = this.currentFile;
        this.use(next, file);
        await old?.stop();
        // The process that writes the read models removes the file it no longer writes.
        if (oldFile && this.mode === 'run') removeReadModelFile(oldFile);
      } catch (e) {
        await next.stop();
        throw e;
      }
    })()
      .catch((e: unknown) => {
        // A failed swap keeps the current file; the next tick tries again. Following nothing yet: said by readiness.
        if (this.mode === 'follow' && !this.current) this.followError = { file, error: errorText(e) };
      })
      .finally(() => {
        this.swapping = null;
      });
    await this.swapping;
  }

  protected get running(): ReadModelSource {
    if (!this.current) {
      // Following a worker that has not created its file yet: nothing to read so far.
      if (this.watcher) throw new ReadModelNotCaughtUpError(1, 0);
      throw new Error('read models are not started in this process');
    }
    return this.current;
  }

  /** Waits on whichever file is current, so a swap in the middle does not strand the caller. */
  override async waitFor(position: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (!this.current && this.watcher) {
        // Following a worker whose file is not there yet: wait for it like for any other lag.
        if (left <= 0) throw new ReadModelNotCaughtUpError(position, 0);
        await new Promise((r) => setTimeout(r, Math.min(left, 50)));
        continue;
      }
      const source = this.running;
      try {
        await source.waitFor(position, Math.max(Math.min(left, 250), 0));
        return;
      } catch (e) {
        if (left <= 250 || !(e instanceof ReadModelNotCaughtUpError)) throw e;
      }
    }
  }

  /**
   * Which file is served, how far it has read, how many profiles it could not open, and whether it
   * follows the log (health and readiness checks).
   */
  get status(): {
    file: string | null;
    reached: number;
    mode: ReadModelsMode;
    unreadableProfiles: number;
    feed: ReadModelsFeedState;
  } {
    let reached = 0;
    try {
      reached = this.current?.db.open ? this.current.reached : 0;
    } catch {
      // A followed file that cannot be read any more: the feed state says why.
    }
    return {
      file: this.currentFile,
      reached,
      mode: this.mode,
      unreadableProfiles: this.unreadableProfiles,
      feed: this.feedState(),
    };
  }

  private feedState(): ReadModelsFeedState {
    const source = this.current;
    if (source instanceof ProjectionRunner) return source.state;
    if (this.mode === 'follow' && this.watcher) {
      if (source instanceof ReadModelFollower) return followerState(source);
      if (this.followError && existsSync(this.followError.file))
        return {
          status: 'waiting',
          reason: `the read-model file ${basename(this.followError.file)} cannot be opened: ${this.followError.error}`,
        };
      return {
        status: 'waiting',
        reason: `no read-model file ${basename(currentReadModelFile(this.dataDir))} yet (the process feeding the read models has not created it)`,
      };
    }
    return { status: 'not-started' };
  }

  /**
   * The position the log had reached at `instant` (the store's headPositionAt): from the read models'
   * timeline (an index seek) when the instant ends an hour and an event recorded after it has been
   * applied, else from the store.
   */
  async positionAt(instant: Date): Promise<number> {
    const hour = hourEnding(instant);
    let known: number | null = null;
    try {
      if (hour && this.current) known = this.positionAtEndOfHour(hour);
    } catch {
      // A file that cannot be read right now: the store answers the same.
    }
    return known ?? this.store.headPositionAt(instant);
  }

  /** The as-of connection to the source in use; opened on first use, again after a swap. */
  private asOfConnection: { readonly source: ReadModelSource; readonly connection: AsOfConnection } | null = null;

  /**
   * The read models as the ledger stood at `position`: the same queries on the versions of the rows
   * that held then (as-of-tables.ts), read from the live file; nothing is replayed or copied. A
   * position past the head is the head (an answer stands for the events it has seen), and the live
   * file must have reached it.
   */
  async asOf(position: number, waitMs = 2000): Promise<ReadModelsAsOf> {
    const at = Math.min(position, await this.store.headPosition());
    await this.waitFor(at, waitMs);
    const source = this.running;
    // Another source (a swap, or a followed file replaced under the same name): another connection.
    if (this.asOfConnection?.source !== source || !this.asOfConnection.connection.db.open) {
      this.asOfConnection?.connection.close();
      this.asOfConnection = null;
      const threads = this.options.asOfThreads ?? asOfThreadsOf(process.env['AS_OF_THREADS']);
      const connection = new AsOfConnection(this.currentFile!, () => this.running, threads > 0 && { threads });
      this.asOfConnection = { source, connection };
    }
    return this.asOfConnection.connection.readAt(at);
  }

  async stop(): Promise<void> {
    this.generation += 1;
    if (this.watcher) clearInterval(this.watcher);
    this.watcher = null;
    // A runner still replaying would otherwise go on writing its file after the process stopped.
    await Promise.all([...this.opening].map((runner) => runner.stop()));
    await this.swapping;
    await this.current?.stop();
    this.current = null;
    this.currentFile = null;
    this.asOfConnection?.connection.close();
    this.asOfConnection = null;
  }
}

/** `AS_OF_THREADS`: how many threads answer as-of queries (0 to 8; 2 if unset or not such a number). */
function asOfThreadsOf(text: string | undefined): number {
  const n = Number(text);
  return text !== undefined && text !== '' && Number.isInteger(n) && n >= 0 && n <= 8 ? n : 2;
}
