import type Database from 'better-sqlite3';
import type { StatementCache } from './statement-cache';
import { flushStatements, loggedTables } from './versioned-tables';

/**
 * The read-model writes this connection logged (versioned-tables.ts), turned into versions at the
 * end of each transaction: a few set statements per table that was written, rather than a version
 * closed and opened per written row. The tables are looked up once per schema (`reset` after the
 * runner has prepared it again).
 */
export class VersionLog {
  private tables: { readonly any: Database.Statement; readonly flush: readonly string[] }[] | null = null;

  constructor(private readonly sql: StatementCache) {}

  /** The schema may have changed (a restart, a fresh file): the tables are looked up again. */
  reset(): void {
    this.tables = null;
  }

  /** Inside the transaction, after its last write. */
  flush(): void {
    this.tables ??= loggedTables(this.sql.db).map((table) => ({
      any: this.sql.prepare(`select 1 from temp.${table}_vlog limit 1`),
      flush: flushStatements(this.sql.db, table),
    }));
    for (const { any, flush } of this.tables) {
      if (any.get() === undefined) continue;
      for (const statement of flush) this.sql.prepare(statement).run();
    }
  }
}
