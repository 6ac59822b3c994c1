import { statfsSync, type StatsFs } from 'node:fs';
import { dirname } from 'node:path';

/** Less free space than this on the file's device, and a failed write counts as "disk full". */
const NEARLY_FULL_BYTES = 1024 * 1024;

/**
 * A failed write as the ledger reports it. SQLite says SQLITE_FULL when a write meets ENOSPC, but
 * an fsync or a WAL-index resize that meets it comes back as SQLITE_IOERR_* with the errno
 * dropped; the free space on the file's device tells those apart from a failing disk. An I/O
 * error with no space left becomes an error coded ENOSPC (the original as its cause); anything
 * else is returned as it was.
 */
export function asDiskFull(
  e: unknown,
  file: string | null,
  statfs: (path: string) => Pick<StatsFs, 'bavail' | 'bsize'> = statfsSync,
): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  if (file === null || typeof code !== 'string' || !code.startsWith('SQLITE_IOERR')) return e;
  let free: number;
  try {
    const s = statfs(dirname(file));
    free = Number(s.bavail) * Number(s.bsize);
  } catch {
    return e;
  }
  if (free >= NEARLY_FULL_BYTES) return e;
  return Object.assign(
    new Error(`no space left on the device holding ${file} (${code}: ${(e as Error).message})`, { cause: e }),
    { code: 'ENOSPC' },
  );
}
