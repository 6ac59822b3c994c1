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
    this.checkpoint = this.db.prepare('select min(position) as p from projection_checkpoints');
    this.bulk = this.db.prepare('select count(*) as n from projection_bulk');
    this.versions = this.db.prepare('select name, version from projection_checkpoints');
  }

  get reached(): number {
    if (this.db.open) this.last = this.checkpoint.get()?.p ?? 0;
    return this.last;
  }

  /**
   * The writing process is replaying the log from 0 into this file (its figures are incomplete), or
   * wrote it with read models of other versions than this code's: either way nothing is served.
   */
  get replaying(): boolean {
    return (
      this.db.open && ((this.bulk.get()?.n ?? 0) > 0 || !sameReadModelVersions(this.versions.all(), this.expected))
    );
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
