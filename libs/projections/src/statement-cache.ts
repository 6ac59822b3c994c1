import type Database from 'better-sqlite3';

/**
 * What the read models' reads and writes need of a connection: statements. A raw connection will do
 * (each call prepares anew); a `StatementCache` prepares each text once.
 */
export interface Sql {
  prepare(source: string): Database.Statement;
}

/**
 * The prepared statements of one connection, by SQL text: projections run per event and queries per
 * request, so preparing must not. Owned by whoever owns the connection (the runner, a query set).
 */
export class StatementCache implements Sql {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly db: Database.Database) {}

  prepare(source: string): Database.Statement {
    let s = this.statements.get(source);
    if (!s) this.statements.set(source, (s = this.db.prepare(source)));
    return s;
  }
}
