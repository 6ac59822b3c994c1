import { chmodSync, existsSync, renameSync, rmSync } from 'node:fs';
import { PRIVATE_FILE_MODE } from '@ihl/event-store';

/** SQLite cannot read the file as a database: "file is not a database", "database disk image is malformed". */
export function isCorruptDatabaseError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(NOTADB|CORRUPT)/.test(code);
}

/**
 * Moves a read-model file SQLite cannot read out of the way, as `<name>.corrupt-<timestamp>` (its
 * -wal and -journal alongside, as `<that>-wal`), owner-only like every data file: read models are
 * rebuilt from the log, and the copy is kept for whoever wants to find out what broke it. The -shm
 * (an index of the WAL, rebuilt on open) is removed: left behind, it would belong to no file.
 * Names no sweep of stale read-model files matches. Returns the name the file was given.
 */
export function setAsideCorruptReadModelFile(file: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  let kept = `${file}.corrupt-${stamp}`;
  for (let n = 2; existsSync(kept); n++) kept = `${file}.corrupt-${stamp}.${n}`;
  renameSync(file, kept);
  chmodSync(kept, PRIVATE_FILE_MODE);
  for (const side of ['-wal', '-journal']) {
    if (!existsSync(`${file}${side}`)) continue;
    renameSync(`${file}${side}`, `${kept}${side}`);
    chmodSync(`${kept}${side}`, PRIVATE_FILE_MODE);
  }
  rmSync(`${file}-shm`, { force: true });
  return kept;
}
