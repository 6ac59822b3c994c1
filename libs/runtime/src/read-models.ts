import { existsSync } from 'node:fs';
import type {
  AuditedFigure,
  BudgetReadModel,
  FigureFilters,
  FigureSources,
  ProgressReadModel,
  VolumesReadModel,
} from '@ihl/application';
import type { EventStore } from '@ihl/event-store';
import {
  ProjectionRunner,
  ReadModelNotCaughtUpError,
  readModelVersions,
  activityVolumes,
  activityVolumesProjection,
  auditPage,
  auditTrailProjection,
  budgetOf,
  budgetProjection,
  verifiedExpenditures,
  personsReached,
  createPersonsReachedProjection,
  erasureCount,
  type Projection,
  type ProfileOpener,
} from '@ihl/projections';
import { ReadModelFollower } from './read-model-follower';
import { currentReadModelFile, removeReadModelFile, removeStaleReadModelFiles } from './read-model-files';
import { SnapshotCache } from './snapshot-cache';

/** As-of snapshots kept in memory; each is a whole read-model set at one position. */
const AS_OF_SNAPSHOTS = 4;

/**
 * The read models of the ledger; sealed profiles are opened with the person keys of this process.
 * A profile that cannot be opened (a tampered seal, the wrong master key) must not stop every
 * figure: the person counts with unknown attributes and `onUnreadable` is told (for /health) — the
 * same in a serving process and in `ledger rebuild`, so both build the same read models.
 */
export function ledgerProjections(
  openProfile: ProfileOpener,
  onUnreadable: () => void = () => undefined,
): Projection[] {
  return [
    createPersonsReachedProjection((pseudonym, sealed) => {
      try {
        return openProfile(pseudonym, sealed);
      } catch {
        onUnreadable();
        return null;
      }
    }),
    budgetProjection,
    activityVolumesProjection,
    auditTrailProjection,
  ];
}

/** What the queries need of a read-model file: kept by a runner here, or followed read-only. */
export interface ReadModelSource {
  readonly db: ProjectionRunner['db'];
  readonly reached: number;
  /** True while the file is being replayed from 0 in bulk (its tables are incomplete), or holds other versions. */
  readonly replaying?: boolean;
  waitFor(position: number, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** The queries every read-model set answers, live or frozen at a position. */
abstract class RunnerQueries implements ProgressReadModel, BudgetReadModel, VolumesReadModel, FigureSources {
  protected abstract get running(): ReadModelSource;

  get reached(): number {
    return this.running.reached;
  }

  /** One read transaction around a whole answer, so the position and every figure agree. */
  consistently<T>(read: () => T): T {
    const source = this.running;
    const db = source.db;
    if (db.inTransaction) return read();
    db.exec('begin');
    try {
      // A file another process is rebuilding in place holds half its figures: none are served.
      if (source.replaying) throw new ReadModelNotCaughtUpError(1, 0);
      return read();
    } finally {
      if (db.inTransaction) db.exec('commit');
    }
  }

  waitFor(position: number, timeoutMs: number): Promise<void> {
    return this.running.waitFor(position, timeoutMs);
  }

  personsReached(projectCode: string, partnerId?: string, options?: { entrants?: boolean }) {
    return personsReached(this.running.db, projectCode, partnerId, options);
  }

  activityVolumes(projectCode: string, partnerId?: string) {
    return activityVolumes(this.running.db, projectCode, partnerId);
  }

  budget(projectCode: string) {
    return budgetOf(this.running.db, projectCode);
  }

  verifiedExpenditures(projectCode: string) {
    return verifiedExpenditures(this.running.db, projectCode);
  }

  eventsOf(figure: AuditedFigure, projectCode: string, filters: FigureFilters, page: number, pageSize: number) {
    return this.consistently(() => auditPage(this.running.db, { projectCode, figure, ...filters }, page, pageSize));
  }
}

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
        throw e;
      }
      if (generation !== this.generation) return source.stop();
      this.use(source, file);
    }
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

  private async open(file: string): Promise<ReadModelSource> {
    if (this.mode === 'follow') return new ReadModelFollower(file, readModelVersions(this.projections));
    const runner = new ProjectionRunner({ store: this.store, file, projections: this.projections });
    this.opening.add(runner);
    try {
      await runner.start();
    } catch (e) {
      await runner.stop();
      throw e;
    } finally {
      this.opening.delete(runner);
    }
    return runner;
  }

  private use(source: ReadModelSource, file: string): void {
    this.current = source;
    this.currentFile = file;
  }

  /** Swaps to the file the pointer names, once that file has caught up with the one in use. */
  private async checkPointer(): Promise<void> {
    if (this.swapping) return;
    const file = currentReadModelFile(this.dataDir);
    if (file === this.currentFile || (this.mode === 'follow' && !existsSync(file))) return;
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
      .catch(() => {
        // A failed swap keeps the current file; the next tick tries again.
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

  /** Which file is served, how far it has read and how many profiles it could not open (health check). */
  get status(): { file: string | null; reached: number; mode: ReadModelsMode; unreadableProfiles: number } {
    return {
      file: this.currentFile,
      reached: this.current?.db.open ? this.current.reached : 0,
      mode: this.mode,
      unreadableProfiles: this.unreadableProfiles,
    };
  }

  private erasuresSeen = -1;

  /** As-of snapshots in memory, shared by the requests that ask for the same position. */
  private readonly snapshots = new SnapshotCache<ProjectionRunner>({
    capacity: AS_OF_SNAPSHOTS,
    build: async (position) => {
      const runner = new ProjectionRunner({ store: this.store, file: ':memory:', projections: this.projections });
      try {
        await runner.replayUntil(position);
      } catch (e) {
        await runner.stop();
        throw e;
      }
      return runner;
    },
    dispose: (runner) => runner.stop(),
  });

  /**
   * The same read models as the ledger stood at `position`, replayed into memory: a report sent on
   * a given day can be reproduced exactly later. Close the answer after use.
   */
  async asOf(position: number): Promise<ReadModelsSnapshot> {
    // Past the head, events still to come would fall at or below `position`: a snapshot cached
    // under it would go stale. Under the head position it stays true for good.
    const at = Math.min(position, await this.store.headPosition());
    // A snapshot still holds the profiles of persons erased since it was built: drop them all.
    const erasures = this.current ? erasureCount(this.current.db) : -1;
    if (erasures !== this.erasuresSeen) {
      await this.snapshots.clear();
      this.erasuresSeen = erasures;
    }
    const lease = await this.snapshots.acquire(at);
    return new ReadModelsSnapshot(lease.value, lease.release);
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
    await this.snapshots.clear();
  }
}

/** A frozen copy of the read models at one position; close it after use. */
export class ReadModelsSnapshot extends RunnerQueries {
  constructor(
    private readonly frozen: ProjectionRunner,
    /** Hands the snapshot back (to the cache that lent it). */
    private readonly release: () => Promise<void>,
  ) {
    super();
  }

  protected get running(): ProjectionRunner {
    return this.frozen;
  }

  /** Nothing to wait for: the snapshot stands where it was replayed to. */
  override async waitFor(): Promise<void> {}

  close(): Promise<void> {
    return this.release();
  }
}
