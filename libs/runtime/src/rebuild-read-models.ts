import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { upcasters } from '@ihl/application';
import type { EventStore } from '@ihl/event-store';
import { ProjectionRunner, RecordIndex, type Projection } from '@ihl/projections';
import {
  claimFreshReadModelFile,
  removeReadModelFile,
  removeStaleReadModelFiles,
  switchReadModelFile,
} from './read-model-files';

export interface RebuildResult {
  readonly file: string;
  readonly position: number;
  readonly contentHash: string;
  readonly millis: number;
}

/**
 * Replays the whole log into a fresh read-model file, then points DATA_DIR at it. The serving
 * process keeps answering from the old file meanwhile and swaps when it sees the pointer move.
 * The fresh file is locked while it is built: a rebuild that is killed leaves it unlocked, and the
 * next rebuild or start removes it; one that fails removes it itself.
 */
export async function rebuildReadModels(options: {
  readonly store: EventStore;
  readonly dataDir: string;
  readonly projections: readonly Projection[];
  readonly now: () => Date;
  /** Events replayed of the log's head, after each page read. */
  readonly onProgress?: (done: number, total: number) => Promise<void> | void;
  /** Events read per page (default: the runner's). */
  readonly pageSize?: number;
}): Promise<RebuildResult> {
  const started = options.now().getTime();
  removeStaleReadModelFiles(options.dataDir);
  const { file, lock } = claimFreshReadModelFile(options.dataDir, options.now());
  try {
    let position: number;
    let contentHash: string;
    const runner = new ProjectionRunner({
      store: options.store,
      file,
      projections: options.projections,
      upcasters,
    });
    try {
      const head = await options.store.headPosition();
      const onProgress = options.onProgress;
      await runner.replayUntil(head, options.pageSize, onProgress && ((done) => onProgress(done, head)));
      position = runner.reached;
      contentHash = readModelHash(runner.db, options.projections);
    } finally {
      await runner.stop();
    }
    switchReadModelFile(options.dataDir, file);
    return { file, position, contentHash, millis: options.now().getTime() - started };
  } catch (e) {
    // Not pointed at: nobody else will ever read it.
    removeReadModelFile(file);
    throw e;
  } finally {
    lock.release();
  }
}

/** A digest of the records and every projection table, row by row in key order: equal files give equal hashes. */
export function readModelHash(db: Database.Database, projections: readonly Projection[]): string {
  const hash = createHash('sha256');
  for (const table of [...RecordIndex.TABLES, ...projections.flatMap((p) => p.tables)]) {
    hash.update(`\u0000${table}\u0000`);
    const columns = (db.prepare(`pragma table_info(${table})`).all() as unknown[]).map((_, i) => i + 1);
    for (const row of db.prepare(`select * from ${table} order by ${columns.join(', ')}`).iterate())
      hash.update(JSON.stringify(row));
  }
  return hash.digest('hex');
}
