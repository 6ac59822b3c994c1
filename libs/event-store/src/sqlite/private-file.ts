import { chmodSync, closeSync, fchmodSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Owner read and write only. The data files hold the log, pseudonyms and (the read models) opened
 * profiles: other accounts on the machine must not read them, whatever the umask the process got.
 */
export const PRIVATE_FILE_MODE = 0o600;
/** DATA_DIR, when the ledger creates it. */
export const PRIVATE_DIR_MODE = 0o700;
/** The files SQLite keeps next to a database while it is in use. */
export const SQLITE_SIDE_FILES = ['-wal', '-shm', '-journal'] as const;

/** Whether `file` names a file on disk: not ':memory:', '' (SQLite's private temporary file) or a URI. */
export function isDiskFile(file: string): boolean {
  return file !== ':memory:' && file !== '' && !file.startsWith('file:');
}

/**
 * Creates `dir` and its missing parents owner-only (0700). The mode is set after mkdir, which
 * passes it through the umask. A folder that is already there is left as it is: it may be a
 * mount point the operator chose.
 */
export function ensurePrivateDir(dir: string): void {
  const first = mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (first === undefined) return;
  const top = resolve(first);
  for (let d = resolve(dir); ; d = dirname(d)) {
    chmodSync(d, PRIVATE_DIR_MODE);
    if (d === top || dirname(d) === d) break;
  }
}

/**
 * Sets a file that exists to 0600. A file this process may not chmod (another owner) is left as it
 * is, with a warning: it can still be used, and refusing to start would not make it private.
 */
function tighten(file: string): void {
  let mode: number;
  try {
    mode = statSync(file).mode & 0o777;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (mode === PRIVATE_FILE_MODE) return;
  try {
    chmodSync(file, PRIVATE_FILE_MODE);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code !== 'EPERM' && code !== 'EROFS') throw e;
    process.emitWarning(
      `${file} has mode ${mode.toString(8)} and could not be set to 600 (${code}): other accounts may read it`,
      'DataFileModeWarning',
    );
  }
}

/** Sets the database's -wal, -shm and -journal files that exist to 0600. */
export function tightenSqliteSideFiles(file: string): void {
  if (!isDiskFile(file)) return;
  for (const suffix of SQLITE_SIDE_FILES) tighten(`${file}${suffix}`);
}

/**
 * Call before opening an SQLite database on `file`: its folder is created 0700 if missing, the file
 * is created empty with mode 0600 if missing (SQLite would create it 0644 under the usual umask),
 * and the file and its -wal, -shm and -journal are set to 0600 if they exist with another mode.
 * SQLite creates a missing -wal, -shm or -journal with the database file's mode, so these stay
 * 0600 too; call `tightenSqliteSideFiles` after the first write to make sure.
 */
export function preparePrivateDbFile(file: string): void {
  if (!isDiskFile(file)) return;
  ensurePrivateDir(dirname(file));
  let fd: number | null = null;
  try {
    fd = openSync(file, 'wx', PRIVATE_FILE_MODE);
    // Exactly 0600, also under a umask that takes the owner's own bits away.
    fchmodSync(fd, PRIVATE_FILE_MODE);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    tighten(file);
  } finally {
    if (fd !== null) closeSync(fd);
  }
  tightenSqliteSideFiles(file);
}
