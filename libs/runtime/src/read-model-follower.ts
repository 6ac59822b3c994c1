import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ReadModelNotCaughtUpError, sameReadModelVersions } from '@ihl/projections';

/**
 * Reads the read models another process keeps (the worker, when it hosts the projections): the
 * file is opened read-only and the position is the checkpoint that process commits with each batch.
 */
export class ReadModelFollower {
  readonly db: Database.Database;
  private readonly checkpoint: Database.Statement<[], { p: number | null }>;
  private readonly bulk: Database.Statement<[], { n: number }>;
  private readonly versions: Database.Statement<[], { name: string; version: number }>;
  private last = 0;
  /** The file opened (its inode): the writer may set a broken file aside and build a new one in its place. */
  private readonly inode: number;

  /**
   * `expected`: the read models and versions this code reads (name → version). A file written by
   * other versions (a rolling deploy, a worker not yet upgraded) has tables this code would misread.
   */
  constructor(
    readonly file: string,
    private readonly expected: ReadonlyMap<string, number>,
    private readonly pollMs = 20,
  ) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      this.inode = statSync(file).ino;
      this.checkpoint = this.db.prepare('select min(position) as p from projection_checkpoints');
      this.bulk = this.db.prepare('select count(*) as n from projection_bulk');
      this.versions = this.db.prepare('select name, version from projection_checkpoints');
    } catch (e) {
      // Not a read-model file (yet, or any more): not left open while the caller tries again.
      this.db.close();
      throw e;
    }
  }

  /** The checkpoint; the last one read if the file cannot be read any more (a swap is then due). */
  get reached(): number {
    try {
      if (this.db.open) this.last = this.checkpoint.get()?.p ?? 0;
    } catch {
      // Broken under this reader: readiness says so (condition); a file built in its place is swapped in.
    }
    return this.last;
  }

  /** Another file now has this one's name (the writer set this one aside as corrupt and rebuilt it). */
  get replaced(): boolean {
    try {
      return statSync(this.file).ino !== this.inode;
    } catch {
      return false;
    }
  }

  /**
   * The writing process is replaying the log from 0 into this file (its figures are incomplete), or
   * wrote it with read models of other versions than this code's: either way nothing is served.
   */
  get replaying(): boolean {
    const c = this.condition;
    return c === 'replaying' || c === 'other-versions';
  }

  /**
   * `current`: complete, written by these read-model versions; `replaying`: the writing process is
   * replaying the log from 0 into it; `other-versions`: written by other read-model versions.
   */
  get condition(): 'current' | 'replaying' | 'other-versions' | 'closed' {
    if (!this.db.open) return 'closed';
    if ((this.bulk.get()?.n ?? 0) > 0) return 'replaying';
    return sameReadModelVersions(this.versions.all(), this.expected) ? 'current' : 'other-versions';
  }

  /** Read-your-writes across processes: polls the checkpoint until it passes `position`. */
  async waitFor(position: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reached = this.reached;
      if (reached >= position) return;
      // Closed by a swap: the caller retries on the file that replaced this one.
      if (!this.db.open || Date.now() >= deadline) throw new ReadModelNotCaughtUpError(position, reached);
      await new Promise((r) => setTimeout(r, this.pollMs));
    }
  }

  async stop(): Promise<void> {
    this.db.close();
  }
}
