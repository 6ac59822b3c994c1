import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';

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
  mkdirSync(dataDir, { recursive: true });
  const tmp = `${readModelPointer(dataDir)}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, `${basename(file)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, readModelPointer(dataDir));
}

export function removeReadModelFile(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
}
