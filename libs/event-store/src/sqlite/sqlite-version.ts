/** Oldest SQLite accepted: earlier releases lack WAL fixes this store relies on for durability. */
export const MIN_SQLITE_VERSION = '3.51.3';

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

export function assertSqliteVersion(actual: string, minimum = MIN_SQLITE_VERSION): void {
  if (compareVersions(actual, minimum) < 0) {
    throw new Error(
      `SQLite ${actual} is too old: the event store needs SQLite >= ${minimum} (better-sqlite3 bundles it)`,
    );
  }
}
