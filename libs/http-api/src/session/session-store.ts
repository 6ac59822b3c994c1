import { createHash, randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Actor } from '@ihl/application';
import { preparePrivateDbFile, tightenSqliteSideFiles } from '@ihl/event-store';

export interface Session {
  readonly actor: Actor;
  /** Sent back by the page in X-CSRF-Token on every unsafe request. */
  readonly csrfToken: string;
  readonly expiresAt: number;
}

export interface PendingLogin {
  readonly codeVerifier: string;
  readonly nonce: string;
}

/** A sign-in started at the provider must come back within this time. */
const LOGIN_TTL_MS = 10 * 60_000;

const hash = (id: string) => createHash('sha256').update(id).digest('hex');
export const newSecret = (): string => randomBytes(32).toString('base64url');

/**
 * Web sessions, server side, in DATA_DIR/sessions.sqlite: the browser holds only a random id in an
 * http-only cookie, so signing out (or an administrator deleting the row) ends the session at once.
 * Rows are keyed by the id's SHA-256: a copy of the file does not give anyone a usable cookie.
 */
export class SessionStore {
  private readonly db: Database.Database;

  constructor(
    file: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    // 0600 like every data file: the rows name who is signed in.
    preparePrivateDbFile(file);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS sessions (
        id_hash TEXT PRIMARY KEY, actor TEXT NOT NULL, csrf TEXT NOT NULL, expires_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS pending_logins (
        state_hash TEXT PRIMARY KEY, code_verifier TEXT NOT NULL, nonce TEXT NOT NULL, expires_at INTEGER NOT NULL);
    `);
    tightenSqliteSideFiles(file);
  }

  /** A new session for the actor: the id goes into the cookie, never into the database. */
  create(actor: Actor): { id: string; session: Session } {
    const id = newSecret();
    const session = { actor, csrfToken: newSecret(), expiresAt: this.now() + this.ttlMs };
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(this.now());
    this.db
      .prepare('INSERT INTO sessions (id_hash, actor, csrf, expires_at) VALUES (?, ?, ?, ?)')
      .run(hash(id), JSON.stringify(actor), session.csrfToken, session.expiresAt);
    return { id, session };
  }

  find(id: string): Session | null {
    const row = this.db.prepare('SELECT actor, csrf, expires_at FROM sessions WHERE id_hash = ?').get(hash(id)) as
      { actor: string; csrf: string; expires_at: number } | undefined;
    if (!row) return null;
    if (row.expires_at <= this.now()) {
      this.end(id);
      return null;
    }
    return { actor: JSON.parse(row.actor) as Actor, csrfToken: row.csrf, expiresAt: row.expires_at };
  }

  end(id: string): void {
    this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(hash(id));
  }

  /** The PKCE verifier and nonce of a sign-in sent to the provider, under its state. */
  beginLogin(state: string, login: PendingLogin): void {
    this.db.prepare('DELETE FROM pending_logins WHERE expires_at <= ?').run(this.now());
    this.db
      .prepare('INSERT INTO pending_logins (state_hash, code_verifier, nonce, expires_at) VALUES (?, ?, ?, ?)')
      .run(hash(state), login.codeVerifier, login.nonce, this.now() + LOGIN_TTL_MS);
  }

  /** Once only: a replayed callback finds nothing. */
  takeLogin(state: string): PendingLogin | null {
    const row = this.db
      .prepare('DELETE FROM pending_logins WHERE state_hash = ? RETURNING code_verifier, nonce, expires_at')
      .get(hash(state)) as { code_verifier: string; nonce: string; expires_at: number } | undefined;
    if (!row || row.expires_at <= this.now()) return null;
    return { codeVerifier: row.code_verifier, nonce: row.nonce };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Nest calls it when the app closes. */
  onModuleDestroy(): void {
    this.close();
  }
}
