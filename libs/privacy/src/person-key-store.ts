import Database from 'better-sqlite3';
import { closeSync, constants, fsync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { preparePrivateDbFile, tightenSqliteSideFiles } from '@ihl/event-store';
import { KeyDurability } from './key-durability';
import {
  assertPseudonym,
  DATA_KEY_BYTES,
  masterCheckMatches,
  masterCheckValue,
  unwrapDataKey,
  wrapDataKey,
} from './person-key-cipher';
import { IV_BYTES } from './sealed-profile';
import {
  MASTER_KEY_BYTES,
  MasterKeyMismatchError,
  PersonErasedError,
  PersonKeyCrypto,
  PersonKeyNotFoundError,
} from './person-key-crypto';

export { ProfileIntegrityError, SEALED_PROFILE_BLOCK, SEALED_PROFILE_VERSION } from './sealed-profile';
export {
  MASTER_KEY_BYTES,
  MasterKeyMismatchError,
  PersonErasedError,
  PersonKeyNotFoundError,
  PersonKeyCrypto,
} from './person-key-crypto';

// Crypto-shredding: each person's sensitive profile is sealed with that person's own random data key;
// erasing the key makes every copy of the sealed profile (events, backups, exports) unreadable while
// the events themselves, and so the counts, stay. Data keys are stored wrapped with a master key kept
// outside this file.

export interface PersonKeyStoreOptions {
  /** Its own SQLite file, never the event store's; the folder is created if missing. */
  readonly file: string;
  /** 32 bytes (AES-256) from configuration; never stored. */
  readonly masterKey: Buffer;
  /** Server clock for created_at / erased_at. */
  readonly clock?: () => Date;
  /** Source of keys and IVs; injectable so tests can see the data keys they must not find on disk. */
  readonly randomBytes?: (size: number) => Buffer;
}

/** Checks a hex master key setting (64 hex digits); the message never echoes the text. */
export function parseMasterKey(hex: string): Buffer {
  const t = typeof hex === 'string' ? hex.trim() : '';
  if (!/^[0-9a-fA-F]{64}$/.test(t)) {
    throw new TypeError(`master key must be exactly ${MASTER_KEY_BYTES * 2} hex digits (${MASTER_KEY_BYTES} bytes)`);
  }
  return Buffer.from(t, 'hex');
}

const SCHEMA = `
create table if not exists person_keys (
  pseudonym  text primary key,
  key        blob,
  created_at text not null,
  erased_at  text,
  check ((key is null) = (erased_at is not null))
) without rowid;
create table if not exists person_key_store_meta (
  name  text primary key,
  value blob not null
) without rowid;
`;

interface KeyRow {
  key: Buffer | null;
  erased_at: string | null;
}

export class PersonKeyStore extends PersonKeyCrypto {
  private readonly db: Database.Database;
  private readonly clock: () => Date;
  private closed = false;
  private readonly stmt;
  private readonly durability = new KeyDurability(
    () => this.syncNow(),
    () => this.syncBlocking(),
  );
  private syncCount = 0;
  /** The WAL file, opened once: fsynced in libuv's thread pool, off the event loop. */
  private readonly walFd: number;

  constructor(options: PersonKeyStoreOptions) {
    super(options.masterKey, options.randomBytes);
    this.clock = options.clock ?? (() => new Date());

    // Owner-only (0600, folder 0700): the file alone reveals nothing, but it still names every pseudonym.
    preparePrivateDbFile(options.file);
    this.db = new Database(options.file);
    try {
      this.db.pragma('journal_mode = WAL');
      // Commits write the WAL without fsync; durability comes from the fsyncs of the WAL (syncNow), and
      // an erasure switches to FULL for its own commit.
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 5000');
      // Freed cells and pages are zeroed, so an erased key does not linger in free space.
      this.db.pragma('secure_delete = ON');
      const hasEvents = this.db.prepare("select 1 from sqlite_master where type = 'table' and name = 'events'").get();
      if (hasEvents) {
        throw new Error('person key store: this file holds an events table; the key store needs its own file');
      }
      this.db.exec(SCHEMA);
      this.checkMasterKey();
      tightenSqliteSideFiles(options.file);
      this.walFd = openWal(options.file);
    } catch (e) {
      this.db.close();
      throw e;
    }
    this.stmt = {
      get: this.db.prepare<[string], KeyRow>('select key, erased_at from person_keys where pseudonym = ?'),
      insertKey: this.db.prepare<[string, Buffer, string]>(
        'insert into person_keys (pseudonym, key, created_at) values (?, ?, ?) on conflict (pseudonym) do nothing',
      ),
      insertTombstone: this.db.prepare<[string, string, string]>(
        'insert into person_keys (pseudonym, key, created_at, erased_at) values (?, null, ?, ?)',
      ),
      overwrite: this.db.prepare<[string]>(
        'update person_keys set key = zeroblob(length(key)) where pseudonym = ? and key is not null',
      ),
      shred: this.db.prepare<[string, string]>(
        'update person_keys set key = null, erased_at = ? where pseudonym = ? and erased_at is null',
      ),
      syncMark: this.db.prepare<[Buffer]>(
        "insert into person_key_store_meta (name, value) values ('synced', ?) on conflict (name) do update set value = excluded.value",
      ),
    };
  }

  /**
   * Resolves once every key this process has created or used so far is on disk; whatever is sealed or
   * digested with a key must not be acknowledged before. A new key is committed at once (visible to
   * every connection) but without its own fsync; the callers who wait meanwhile then share one fsync
   * of the WAL, run off the event loop, which makes every earlier commit of the file durable with it
   * (one WAL, written in order). A key read from the file counts as unsynced too until this process
   * synced once after reading it: another process (or an earlier run killed before its sync) may have
   * created it.
   */
  whenDurable(): Promise<void> {
    return this.durability.whenDurable();
  }

  /**
   * Creates, in one commit, the keys of the persons named that have none yet (not of erased ones):
   * a batch that names many new persons then does not commit once per person.
   */
  ensureKeys(pseudonyms: readonly string[]): void {
    this.assertOpen();
    pseudonyms.forEach(assertPseudonym);
    const missing = [...new Set(pseudonyms)].filter((p) => this.stmt.get.get(p) === undefined);
    if (missing.length > 0) this.createKeys(missing);
  }

  /**
   * Erases the person's data key: the wrapped key is overwritten, then removed, leaving a tombstone
   * (erased_at) so no new key is ever created for them. Erasing a person who never had a key also
   * leaves a tombstone. Returns true when this call erased the person, false when they already were.
   */
  erase(pseudonym: string): boolean {
    this.assertOpen();
    assertPseudonym(pseudonym);
    // Its own fsync, as ever: an erasure is acknowledged only once it is on disk.
    this.db.pragma('synchronous = FULL');
    try {
      return this.eraseNow(pseudonym);
    } finally {
      this.db.pragma('synchronous = NORMAL');
    }
  }

  private eraseNow(pseudonym: string): boolean {
    const erased = this.db
      .transaction((): boolean => {
        const row = this.stmt.get.get(pseudonym);
        const now = this.clock().toISOString();
        if (row === undefined) {
          this.stmt.insertTombstone.run(pseudonym, now, now);
          return true;
        }
        if (row.erased_at !== null) return false;
        // Overwrite then drop; what keeps the old bytes off disk is secure_delete plus the checkpoint below.
        this.stmt.overwrite.run(pseudonym);
        this.stmt.shred.run(now, pseudonym);
        return true;
      })
      .immediate();
    // Older page images with the wrapped key stay in the WAL until a checkpoint; truncate it now.
    if (erased) this.db.pragma('wal_checkpoint(TRUNCATE)');
    return erased;
  }

  isErased(pseudonym: string): boolean {
    this.assertOpen();
    assertPseudonym(pseudonym);
    const row = this.stmt.get.get(pseudonym);
    return row !== undefined && row.erased_at !== null;
  }

  close(): void {
    if (this.closed) return;
    // Whoever still waits for a sync gets it rather than an error.
    this.durability.settle();
    this.closed = true;
    this.db.close();
    closeSync(this.walFd);
  }

  protected wrappedKeyOf(pseudonym: string): Buffer | 'erased' | null {
    const row = this.stmt.get.get(pseudonym);
    if (row === undefined) return null;
    return row.erased_at !== null || row.key === null ? 'erased' : row.key;
  }

  /** The person's unwrapped data key; the caller zeroes it after use. */
  protected dataKeyFor(pseudonym: string): Buffer {
    let row = this.stmt.get.get(pseudonym);
    if (row === undefined) row = this.createKey(pseudonym);
    if (row === undefined) throw new PersonKeyNotFoundError(pseudonym);
    if (row.erased_at !== null || row.key === null) throw new PersonErasedError(pseudonym);
    this.durability.used(pseudonym);
    return unwrapDataKey(this.master, pseudonym, row.key);
  }

  /**
   * Insert-if-absent then read back: two processes racing for a new person end up with one key.
   * Committed without an fsync of its own (see whenDurable): one per new person cost more than the
   * rest of a submission.
   */
  private createKey(pseudonym: string): KeyRow | undefined {
    this.createKeys([pseudonym]);
    return this.stmt.get.get(pseudonym);
  }

  private createKeys(pseudonyms: readonly string[]): void {
    this.db
      .transaction(() => {
        const now = this.clock().toISOString();
        for (const pseudonym of pseudonyms) {
          const dataKey = this.random(DATA_KEY_BYTES);
          try {
            this.stmt.insertKey.run(
              pseudonym,
              wrapDataKey(this.master, pseudonym, dataKey, this.random(IV_BYTES)),
              now,
            );
          } finally {
            dataKey.fill(0);
          }
        }
      })
      .immediate();
  }

  /**
   * Makes every commit so far durable: one fsync of the WAL (which holds every earlier commit's frames,
   * this process's and others', in order) in libuv's thread pool, so the event loop serves requests
   * meanwhile. Before it, a sync mark (the time and count of this process's syncs) is committed.
   */
  private syncNow(): Promise<void> {
    this.writeSyncMark();
    return new Promise<void>((resolve, reject) => fsync(this.walFd, (e) => (e ? reject(e) : resolve())));
  }

  private syncBlocking(): void {
    this.writeSyncMark();
    fsyncSync(this.walFd);
  }

  private writeSyncMark(): void {
    this.assertOpen();
    const mark = Buffer.alloc(16);
    mark.writeDoubleBE(Date.now());
    mark.writeDoubleBE(++this.syncCount, 8);
    this.stmt.syncMark.run(mark);
  }

  /** A fresh file records a check value; later opens with another master key fail here, not mid-request. */
  private checkMasterKey(): void {
    const row = this.db.prepare("select value from person_key_store_meta where name = 'master_check'").get() as
      { value: Buffer } | undefined;
    if (row === undefined) {
      const value = masterCheckValue(this.master, this.random(IV_BYTES));
      this.db
        .prepare("insert into person_key_store_meta (name, value) values ('master_check', ?) on conflict do nothing")
        .run(value);
      // Another process may have won the race with its own check value: verify whatever is stored.
      this.checkMasterKey();
      return;
    }
    if (!masterCheckMatches(this.master, row.value)) throw new MasterKeyMismatchError();
  }

  protected assertOpen(): void {
    if (this.closed) throw new Error('person key store is closed');
  }
}

/**
 * The open key file's WAL, for its fsyncs; its folder is fsynced once, so that a WAL created by this
 * open is found after a power loss. The WAL lives as long as a connection is open (SQLite removes it
 * when the last one closes), so the descriptor stays valid until close(); a checkpoint truncates it
 * in place.
 */
function openWal(file: string): number {
  // Created if SQLite has not yet (an empty WAL is a valid one), private like the file.
  const fd = openSync(`${file}-wal`, constants.O_RDWR | constants.O_CREAT, 0o600);
  const dir = openSync(dirname(file), 'r');
  try {
    fsyncSync(dir);
    fsyncSync(fd);
  } finally {
    closeSync(dir);
  }
  return fd;
}
