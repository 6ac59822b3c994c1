import Database from 'better-sqlite3';
import { createSecretKey, randomBytes as cryptoRandomBytes, type KeyObject } from 'node:crypto';
import { preparePrivateDbFile, tightenSqliteSideFiles } from '@ihl/event-store';
import { KeyDurability } from './key-durability';
import {
  assertPseudonym,
  DATA_KEY_BYTES,
  digestWithKey,
  masterCheckMatches,
  masterCheckValue,
  openWithKey,
  profilePlaintext,
  sealWithKey,
  unwrapDataKey,
  wrapDataKey,
} from './person-key-cipher';
import { IV_BYTES, parseSealed } from './sealed-profile';

export { ProfileIntegrityError, SEALED_PROFILE_BLOCK, SEALED_PROFILE_VERSION } from './sealed-profile';

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

export const MASTER_KEY_BYTES = 32;

/** The person was erased; a new key is never created for them. */
export class PersonErasedError extends Error {
  override readonly name = 'PersonErasedError';
  constructor(readonly pseudonym: string) {
    super(`person ${pseudonym} was erased: no profile can be sealed for them`);
  }
}

/** No key and no tombstone: the profile was sealed elsewhere, or the key file was lost or replaced. */
export class PersonKeyNotFoundError extends Error {
  override readonly name = 'PersonKeyNotFoundError';
  constructor(readonly pseudonym: string) {
    super(`no data key for person ${pseudonym} in this key store (wrong file, or restored from an older copy?)`);
  }
}

/** The file was created with another master key. */
export class MasterKeyMismatchError extends Error {
  override readonly name = 'MasterKeyMismatchError';
  constructor() {
    super('person key store: the master key does not match the one this file was created with');
  }
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

export class PersonKeyStore {
  private readonly db: Database.Database;
  private readonly master: KeyObject;
  private readonly clock: () => Date;
  private readonly random: (size: number) => Buffer;
  private closed = false;
  private readonly stmt;
  private readonly durability = new KeyDurability(() => this.syncNow());
  private syncCount = 0;

  constructor(options: PersonKeyStoreOptions) {
    if (!Buffer.isBuffer(options.masterKey) || options.masterKey.length !== MASTER_KEY_BYTES) {
      throw new TypeError(`person key store: master key must be a Buffer of exactly ${MASTER_KEY_BYTES} bytes`);
    }
    this.master = createSecretKey(Buffer.from(options.masterKey));
    this.clock = options.clock ?? (() => new Date());
    this.random = options.randomBytes ?? cryptoRandomBytes;

    // Owner-only (0600, folder 0700): the file alone reveals nothing, but it still names every pseudonym.
    preparePrivateDbFile(options.file);
    this.db = new Database(options.file);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
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
   * every connection) but without its own fsync; the callers of one event-loop turn then share one
   * synchronous commit, which makes every earlier commit of the file durable with it (one WAL, written
   * in order). A key read from the file counts as unsynced too until this process synced once after
   * reading it: another process (or an earlier run killed before its sync) may have created it.
   */
  whenDurable(): Promise<void> {
    return this.durability.whenDurable();
  }

  /**
   * Seals a JSON-safe profile with the person's data key (created on first use) as
   * `v1.<iv>.<tag>.<ciphertext>` (base64url, AES-256-GCM, the pseudonym as additional authenticated
   * data, so a sealed profile cannot be passed off as another person's). Throws PersonErasedError for
   * an erased person.
   */
  encryptProfile(pseudonym: string, profile: object): string {
    this.assertOpen();
    assertPseudonym(pseudonym);
    const plaintext = profilePlaintext(profile);
    const dataKey = this.dataKeyFor(pseudonym);
    try {
      return sealWithKey(dataKey, pseudonym, plaintext, this.random(IV_BYTES));
    } finally {
      dataKey.fill(0);
      plaintext.fill(0);
    }
  }

  /**
   * A keyed digest of a value sent about the person (e.g. the profile in a request, for idempotency),
   * under a key derived from the person's own data key: erasing the person makes every such digest
   * unverifiable, so no stored digest helps to guess the erased values. Creates the person's key when
   * they have none yet; null for an erased person.
   */
  digestFor(pseudonym: string, canonicalText: string): string | null {
    this.assertOpen();
    assertPseudonym(pseudonym);
    let dataKey: Buffer;
    try {
      dataKey = this.dataKeyFor(pseudonym);
    } catch (e) {
      if (e instanceof PersonErasedError) return null;
      throw e;
    }
    try {
      return digestWithKey(dataKey, canonicalText);
    } finally {
      dataKey.fill(0);
    }
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
   * Opens a sealed profile; null when the person was erased. Throws ProfileIntegrityError when the
   * sealed text is malformed, tampered with or belongs to another person or key store.
   */
  decryptProfile(pseudonym: string, sealed: string): Record<string, unknown> | null {
    this.assertOpen();
    assertPseudonym(pseudonym);
    const parts = parseSealed(sealed);
    const row = this.stmt.get.get(pseudonym);
    if (row === undefined) throw new PersonKeyNotFoundError(pseudonym);
    if (row.erased_at !== null || row.key === null) return null;
    const dataKey = unwrapDataKey(this.master, pseudonym, row.key);
    try {
      return openWithKey(dataKey, pseudonym, parts) as Record<string, unknown>;
    } finally {
      dataKey.fill(0);
    }
  }

  /**
   * Erases the person's data key: the wrapped key is overwritten, then removed, leaving a tombstone
   * (erased_at) so no new key is ever created for them. Erasing a person who never had a key also
   * leaves a tombstone. Returns true when this call erased the person, false when they already were.
   */
  erase(pseudonym: string): boolean {
    this.assertOpen();
    assertPseudonym(pseudonym);
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
  }

  /** The person's unwrapped data key; the caller zeroes it after use. */
  private dataKeyFor(pseudonym: string): Buffer {
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
    this.db.pragma('synchronous = NORMAL');
    try {
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
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  /** One synchronous commit (the connection's FULL mode): the WAL is fsynced with every frame before it. */
  private syncNow(): void {
    this.assertOpen();
    // A value that changes, so the commit has a page to write.
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

  private assertOpen(): void {
    if (this.closed) throw new Error('person key store is closed');
  }
}
