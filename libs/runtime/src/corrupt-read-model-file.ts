import { rmSync } from 'node:fs';

/** SQLite cannot read the file as a database: "file is not a database", "database disk image is malformed". */
export function isCorruptDatabaseError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(NOTADB|CORRUPT)/.test(code);
}

/**
 * Removes a read-model file SQLite cannot read, with its -wal, -journal and -shm: read models are
 * rebuilt from the log. Not kept for inspection: a copy would hold per-person profile rows that no
 * later erasure reaches (an erasure must leave nothing readable behind).
 */
export function discardCorruptReadModelFile(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-journal`, `${file}-shm`]) rmSync(f, { force: true });
}
