import type Database from 'better-sqlite3';
import { isDiskFile } from '@ihl/event-store';
import { WalCheckpointer } from './wal-checkpointer';

export interface WalMaintenanceOptions {
  readonly file: string;
  /** WAL pages between checkpoints while catching up or replaying (see ProjectionRunnerOptions). */
  readonly catchUpWalPages?: number;
  /** WAL pages between checkpoints once caught up. */
  readonly liveWalPages?: number;
  readonly onWalNotScrubbed?: (error: Error) => void;
  readonly walScrubRetryMs?: readonly number[];
}

const DEFAULT_CATCH_UP_WAL_PAGES = 100_000;
/** SQLite's default: a checkpoint per 4 MiB of WAL. */
const LIVE_WAL_PAGES = 1000;
const WAL_SCRUB_RETRY_MS = [50, 250, 1000, 5000];

/**
 * The read-model file's WAL: rare checkpoints while catching up (a second thread copying it during a
 * bulk replay), SQLite's default afterwards, and its truncation once an erasure has committed, so
 * the erased rows' old pages do not outlive the erasure in it.
 */
export class WalMaintenance {
  private readonly onDisk: boolean;
  /** An erasure was applied; the WAL has not been truncated since. */
  private erasurePending = false;
  private scrubTimer: NodeJS.Timeout | null = null;
  private scrubRetries = 0;
  /** While a bulk replay runs on a file: its WAL is checkpointed on a second thread. */
  private checkpointer: WalCheckpointer | null = null;
  private closed = false;

  constructor(
    private readonly db: Database.Database,
    private readonly options: WalMaintenanceOptions,
  ) {
    this.onDisk = isDiskFile(options.file);
  }

  erasureApplied(): void {
    this.erasurePending = true;
  }

  /**
   * After an erasure has committed: its rows are zeroed in the database pages (secure_delete), but
   * the WAL still holds the pages as they were. A TRUNCATE checkpoint copies the WAL into the
   * database and empties it. A reader inside the WAL (a follower mid-query) keeps it: never waited
   * for here (that would hold up the event loop), but tried again a few times on a timer, then
   * reported; every later batch, and the close, try again until it is done.
   */
  scrub(): void {
    if (!this.erasurePending || !this.onDisk || this.closed || !this.db.open || this.db.inTransaction) return;
    if (this.truncate()) {
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
        this.scrub();
        if (this.erasurePending && this.scrubRetries === delays.length) this.reportNotScrubbed();
      }, delays[this.scrubRetries]);
      this.scrubTimer.unref();
    }
  }

  /** A TRUNCATE checkpoint that gives up at once (SQLite's busy handler would block the thread) if a reader is in the WAL. */
  private truncate(): boolean {
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

  private reportNotScrubbed(): void {
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
  catchingUp(on: boolean, bulk: boolean): void {
    const file = this.options.file;
    if (file === ':memory:') return;
    if (!on) this.stopCheckpointer();
    this.db.pragma(
      `wal_autocheckpoint = ${on ? (this.options.catchUpWalPages ?? DEFAULT_CATCH_UP_WAL_PAGES) : (this.options.liveWalPages ?? LIVE_WAL_PAGES)}`,
    );
    // A file by its path only (not '' or a URI), which the thread can open again by name.
    if (on && bulk && !this.checkpointer && file !== '' && !file.startsWith('file:')) {
      try {
        this.checkpointer = new WalCheckpointer(file);
      } catch {
        // No thread (none can be started here): the checkpoint at the end does all of it.
      }
    }
    if (on) return;
    // After a replay that applied an erasure: the same, with its retries and report.
    if (this.erasurePending) this.scrub();
    else this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  stopCheckpointer(): void {
    const c = this.checkpointer;
    if (!c) return;
    this.checkpointer = null;
    // Only slower, never wrong: said, not thrown.
    if (!c.stop()) process.emitWarning('the WAL checkpoint thread did not stop in time', 'WalCheckpointWarning');
    if (c.failure) process.emitWarning(`the WAL checkpoint thread failed: ${c.failure}`, 'WalCheckpointWarning');
  }

  /** Before the connection closes: a last try, which removes the WAL only if no other connection (a follower) has the file open. */
  close(): void {
    if (this.erasurePending && this.onDisk && this.db.open && !this.db.inTransaction) this.truncate();
    if (this.scrubTimer) clearTimeout(this.scrubTimer);
    this.scrubTimer = null;
    this.closed = true;
    this.stopCheckpointer();
  }
}
