import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fchmodSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { PRIVATE_FILE_MODE, SQLITE_SIDE_FILES, ensurePrivateDir, preparePrivateDbFile } from '@ihl/event-store';

/**
 * The read models live in one SQLite file of DATA_DIR named by a pointer file, so a rebuild can
 * fill a fresh file while the current one keeps answering, then switch by one atomic rename.
 */
const POINTER = 'read-models.current';
const DEFAULT_FILE = 'read-models.sqlite';

function readModelPointer(dataDir: string): string {
  return join(dataDir, POINTER);
}

/** The file the read models are served from now (the pre-rebuild default when none was switched to). */
export function currentReadModelFile(dataDir: string): string {
  try {
    const name = readFileSync(readModelPointer(dataDir), 'utf8').trim();
    // Only a bare file name inside DATA_DIR is ever written; anything else is ignored.
    if (/^read-models[-\w.]*\.sqlite$/.test(name)) return join(dataDir, name);
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOENT') throw e;
  }
  return join(dataDir, DEFAULT_FILE);
}

export function freshReadModelFile(dataDir: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return join(dataDir, `read-models-${stamp}-${randomBytes(3).toString('hex')}.sqlite`);
}

/** Points the ledger at `file`: written aside, flushed, then renamed over the pointer. */
export function switchReadModelFile(dataDir: string, file: string): void {
  ensurePrivateDir(dataDir);
  const tmp = `${readModelPointer(dataDir)}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', PRIVATE_FILE_MODE);
  try {
    // Only a file name, but every file of DATA_DIR is owner-only, whatever the umask.
    fchmodSync(fd, PRIVATE_FILE_MODE);
    writeSync(fd, `${basename(file)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, readModelPointer(dataDir));
}

export function removeReadModelFile(file: string): void {
  for (const suffix of ['', ...SQLITE_SIDE_FILES]) rmSync(`${file}${suffix}`, { force: true });
}

/**
 * Next to a read-model file while `ledger rebuild` fills it: an SQLite file of its own on which the
 * rebuild holds an exclusive lock. The lock is the kernel's (fcntl), so it goes when the process
 * dies, however it dies, and another process sees it across containers sharing the volume (a pid
 * would not be).
 */
const REBUILD_LOCK = '.rebuilding';
/** A read-model file, its SQLite side files and its rebuild lock (group 1: the read-model file). */
const READ_MODEL_FILE = /^(read-models[-\w.]*\.sqlite)(-wal|-shm|-journal|\.rebuilding(?:-journal)?)?$/;

/**
 * The exclusive lock on `lockFile`, or null if a live process holds it (or the file is gone).
 * Never opens the file other than through SQLite: closing any other descriptor of a file drops the
 * process's fcntl locks on it.
 */
function tryLock(lockFile: string): Database.Database | null {
  let db: Database.Database;
  try {
    db = new Database(lockFile, { fileMustExist: true, timeout: 0 });
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_CANTOPEN') return null;
    throw e;
  }
  try {
    // Held until the connection closes: the transaction is never committed (nothing is written).
    db.exec('begin exclusive');
    return db;
  } catch (e) {
    db.close();
    if ((e as { code?: string }).code === 'SQLITE_BUSY') return null;
    throw e;
  }
}

/**
 * The connections holding rebuild locks. A connection the collector takes is closed, and its lock
 * dropped: a rebuild waiting on something nobody references any more must still keep its file.
 */
const heldLocks = new Set<Database.Database>();

/** Held by the process that fills a fresh read-model file, until the pointer names the file or it is removed. */
export class RebuildLock {
  constructor(
    private readonly db: Database.Database,
    readonly file: string,
  ) {
    heldLocks.add(db);
  }

  /** The lock file goes first, then the lock: no sweep can find the file unlocked meanwhile. */
  release(): void {
    heldLocks.delete(this.db);
    if (!this.db.open) return;
    rmSync(this.file, { force: true });
    this.db.close();
  }
}

/**
 * A fresh read-model file name (the file is not created) and the lock that marks it as being built
 * by this process. The lock is taken before the file exists, so a sweep never sees the file unlocked.
 */
export function claimFreshReadModelFile(dataDir: string, now: Date): { file: string; lock: RebuildLock } {
  for (let attempt = 0; attempt < 5; attempt++) {
    const file = freshReadModelFile(dataDir, now);
    const lockFile = `${file}${REBUILD_LOCK}`;
    preparePrivateDbFile(lockFile);
    const db = tryLock(lockFile);
    // A sweep elsewhere may have taken the lock and removed the file between its creation and the
    // lock taken here: then this lock is on a file nobody can see, so another name is tried.
    if (db && existsSync(lockFile)) return { file, lock: new RebuildLock(db, lockFile) };
    db?.close();
  }
  throw new Error(`could not take a rebuild lock in ${dataDir}`);
}

/**
 * Removes the read-model files in `dataDir` that nobody will read or write again, with their -wal,
 * -shm and -journal (they hold opened profiles, of persons erased since too):
 * - a rebuild's file whose lock no live process holds (the rebuild was killed, or failed without
 *   cleaning up); a rebuild in progress, in this process or another one, keeps its lock;
 * - with `superseded` (only the process that writes the read models may ask): any other file but the
 *   current one, i.e. one a rebuild replaced while no process was running to remove it. A process
 *   following the file still reads it through its open descriptors until it swaps, as after a swap.
 * The current file is never removed. A file that cannot be checked or removed is left, with a
 * warning (the others are still removed). Returns the read-model files removed.
 */
export function removeStaleReadModelFiles(dataDir: string, options: { superseded?: boolean } = {}): string[] {
  let names: string[];
  try {
    names = readdirSync(dataDir);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return [];
    throw e;
  }
  const files = new Set(names.flatMap((n) => READ_MODEL_FILE.exec(n)?.[1] ?? []));
  const removed: string[] = [];
  for (const name of files) {
    const file = join(dataDir, name);
    try {
      if (removeIfStale(dataDir, file, options.superseded ?? false)) removed.push(file);
    } catch (e) {
      process.emitWarning(`${file} may be stale but could not be removed: ${e}`, 'ReadModelFilesWarning');
    }
  }
  return removed;
}

function removeIfStale(dataDir: string, file: string, superseded: boolean): boolean {
  const lockFile = `${file}${REBUILD_LOCK}`;
  let lock: Database.Database | null = null;
  if (existsSync(lockFile)) {
    lock = tryLock(lockFile);
    if (!lock) return false;
  } else if (!superseded) return false;
  try {
    // Read under the lock: a rebuild points the ledger at its file before it lets the lock go.
    const stale = file !== currentReadModelFile(dataDir);
    if (stale) removeReadModelFile(file);
    if (lock) for (const suffix of ['', '-journal']) rmSync(`${lockFile}${suffix}`, { force: true });
    return stale;
  } finally {
    lock?.close();
  }
}
