/** SQLite cannot read the file as a database: "file is not a database", "database disk image is malformed". */
export function isCorruptDatabaseError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(NOTADB|CORRUPT)/.test(code);
}
