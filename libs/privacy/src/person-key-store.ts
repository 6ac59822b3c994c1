import Database from 'better-sqlite3';
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  randomBytes as cryptoRandomBytes,
  type KeyObject,
} from 'node:crypto';
import { preparePrivateDbFile, tightenSqliteSideFiles } from '@ihl/event-store';
import { isPseudonym } from './pseudonymizer';

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
export const SEALED_PROFILE_VERSION = 'v1';

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

/** A sealed profile or a wrapped key that is malformed or fails authentication (tampered or foreign). */
export class ProfileIntegrityError extends Error {
  override readonly name = 'ProfileIntegrityError';
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

const IV_BYTES = 12;
const TAG_BYTES = 16;
const DATA_KEY_BYTES = 32;
const WRAP_FORMAT = 1;
const WRAP_AAD_PREFIX = 'ihl/person-key/v1\u0000';
const MASTER_CHECK_AAD = Buffer.from('ihl/person-key-store/master-check/v1', 'utf8');
const DIGEST_INFO = 'ihl/person-value-digest/v1';
/** Sealed profiles are padded to a multiple of this, so the ciphertext's length tells nothing of the values. */
export const SEALED_PROFILE_BLOCK = 256;

/** JSON.parse ignores trailing white space, so padding with spaces needs no format change to open. */
function padded(json: string): string {
  const bytes = Buffer.byteLength(json, 'utf8');
  return json + ' '.repeat(Math.ceil((bytes + 1) / SEALED_PROFILE_BLOCK) * SEALED_PROFILE_BLOCK - bytes);
}

interface KeyRow {
  key: Buffer | null;
  erased_at: string | null;
}

/** How many pseudonyms a store remembers as on disk; past it the memory starts again (bounded, never wrong). */
const MAX_KNOWN_DURABLE = 100_000;

export class PersonKeyStore {
  private readonly db: Database.Database;
  private readonly master: KeyObject;
  private readonly clock: () => Date;
  private readonly random: (size: number) => Buffer;
  private closed = false;
  private readonly stmt;
  /** Persons whose key row this process used or created and that may not be on disk yet. */
  private readonly unsynced = new Set<string>();
  /** Persons whose key row a sync of this process saw on disk (bounded by MAX_KNOWN_DURABLE). */
  private readonly durable = new Set<string>();
  private syncWaiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private syncScheduled = false;
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
    if (this.unsynced.size === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.syncWaiters.push({ resolve, reject });
      if (this.syncScheduled) return;
      this.syncScheduled = true;
      setImmediate(() => this.syncNow());
    });
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
    assertPlainObject(profile);
    assertJsonSafe(profile, 'profile', new Set());
    const plaintext = Buffer.from(padded(JSON.stringify(profile)), 'utf8');
    const dataKey = this.dataKeyFor(pseudonym);
    try {
      const iv = this.random(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
      cipher.setAAD(Buffer.from(pseudonym, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [SEALED_PROFILE_VERSION, iv, tag, ciphertext]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
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
    const digestKey = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), DIGEST_INFO, 32));
    dataKey.fill(0);
    try {
      return createHmac('sha256', digestKey).update(canonicalText, 'utf8').digest('hex');
    } finally {
      digestKey.fill(0);
    }
  }

  /**
   * Opens a sealed profile; null when the person was erased. Throws ProfileIntegrityError when the
   * sealed text is malformed, tampered with or belongs to another person or key store.
   */
  decryptProfile(pseudonym: string, sealed: string): Record<string, unknown> | null {
    this.assertOpen();
    assertPseudonym(pseudonym);
    const { iv, tag, ciphertext } = parseSealed(sealed);
    const row = this.stmt.get.get(pseudonym);
    if (row === undefined) throw new PersonKeyNotFoundError(pseudonym);
    if (row.erased_at !== null || row.key === null) return null;
    const dataKey = this.unwrap(pseudonym, row.key);
    let plaintext: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', dataKey, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(pseudonym, 'utf8'));
      decipher.setAuthTag(tag);
      plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    } catch {
      throw new ProfileIntegrityError(
        'sealed profile failed authentication (tampered, or sealed for another person or key store)',
      );
    } finally {
      dataKey.fill(0);
    }
    const value: unknown = JSON.parse(plaintext.toString('utf8'));
    plaintext.fill(0);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ProfileIntegrityError('sealed profile does not hold an object');
    }
    return value as Record<string, unknown>;
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
    if (this.syncScheduled) this.syncNow();
    this.closed = true;
    this.db.close();
  }

  /** The person's unwrapped data key; the caller zeroes it after use. */
  private dataKeyFor(pseudonym: string): Buffer {
    let row = this.stmt.get.get(pseudonym);
    if (row === undefined) row = this.createKey(pseudonym);
    if (row === undefined) throw new PersonKeyNotFoundError(pseudonym);
    if (row.erased_at !== null || row.key === null) throw new PersonErasedError(pseudonym);
    if (!this.durable.has(pseudonym)) this.unsynced.add(pseudonym);
    return this.unwrap(pseudonym, row.key);
  }

  /**
   * Insert-if-absent then read back: two processes racing for a new person end up with one key.
   * Committed without an fsync of its own (see whenDurable): one per new person cost more than the
   * rest of a submission.
   */
  private createKey(pseudonym: string): KeyRow | undefined {
    this.db.pragma('synchronous = NORMAL');
    try {
      return this.db
        .transaction((): KeyRow | undefined => {
          const dataKey = this.random(DATA_KEY_BYTES);
          try {
            this.stmt.insertKey.run(pseudonym, this.wrap(pseudonym, dataKey), this.clock().toISOString());
          } finally {
            dataKey.fill(0);
          }
          return this.stmt.get.get(pseudonym);
        })
        .immediate();
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  /** One synchronous commit (the connection's FULL mode): the WAL is fsynced with every frame before it. */
  private syncNow(): void {
    this.syncScheduled = false;
    const waiters = this.syncWaiters;
    this.syncWaiters = [];
    const covered = [...this.unsynced];
    this.unsynced.clear();
    try {
      this.assertOpen();
      // A value that changes, so the commit has a page to write.
      const mark = Buffer.alloc(16);
      mark.writeDoubleBE(Date.now());
      mark.writeDoubleBE(++this.syncCount, 8);
      this.stmt.syncMark.run(mark);
    } catch (e) {
      for (const p of covered) this.unsynced.add(p);
      for (const w of waiters) w.reject(e);
      return;
    }
    if (this.durable.size + covered.length > MAX_KNOWN_DURABLE) this.durable.clear();
    for (const p of covered) this.durable.add(p);
    for (const w of waiters) w.resolve();
  }

  private wrap(pseudonym: string, dataKey: Buffer): Buffer {
    const iv = this.random(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.master, iv);
    cipher.setAAD(wrapAad(pseudonym));
    const ciphertext = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return Buffer.concat([Buffer.of(WRAP_FORMAT), iv, cipher.getAuthTag(), ciphertext]);
  }

  private unwrap(pseudonym: string, wrapped: Buffer): Buffer {
    if (wrapped.length !== 1 + IV_BYTES + TAG_BYTES + DATA_KEY_BYTES || wrapped[0] !== WRAP_FORMAT) {
      throw new ProfileIntegrityError(`wrapped data key of person ${pseudonym} is malformed`);
    }
    const iv = wrapped.subarray(1, 1 + IV_BYTES);
    const tag = wrapped.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.master, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(wrapAad(pseudonym));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(wrapped.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw new ProfileIntegrityError(
        `wrapped data key of person ${pseudonym} failed authentication (another master key, or a row from another person)`,
      );
    }
  }

  /** A fresh file records a check value; later opens with another master key fail here, not mid-request. */
  private checkMasterKey(): void {
    const row = this.db.prepare("select value from person_key_store_meta where name = 'master_check'").get() as
      { value: Buffer } | undefined;
    if (row === undefined) {
      const iv = this.random(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.master, iv);
      cipher.setAAD(MASTER_CHECK_AAD);
      cipher.final();
      const value = Buffer.concat([iv, cipher.getAuthTag()]);
      this.db
        .prepare("insert into person_key_store_meta (name, value) values ('master_check', ?) on conflict do nothing")
        .run(value);
      // Another process may have won the race with its own check value: verify whatever is stored.
      this.checkMasterKey();
      return;
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.master, row.value.subarray(0, IV_BYTES), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(MASTER_CHECK_AAD);
      decipher.setAuthTag(row.value.subarray(IV_BYTES));
      decipher.final();
    } catch {
      throw new MasterKeyMismatchError();
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('person key store is closed');
  }
}

function wrapAad(pseudonym: string): Buffer {
  return Buffer.from(WRAP_AAD_PREFIX + pseudonym, 'utf8');
}

function assertPseudonym(pseudonym: string): void {
  // Also stops a raw personal code from being stored as a primary key by mistake; never echo the value.
  if (!isPseudonym(pseudonym)) throw new TypeError('person key store: expected a pseudonym (p<version>_<64 hex>)');
}

function parseSealed(sealed: string): { iv: Buffer; tag: Buffer; ciphertext: Buffer } {
  const parts = typeof sealed === 'string' ? sealed.split('.') : [];
  if (parts.length !== 4 || parts[0] !== SEALED_PROFILE_VERSION) {
    throw new ProfileIntegrityError(`sealed profile must look like ${SEALED_PROFILE_VERSION}.<iv>.<tag>.<ciphertext>`);
  }
  const [iv, tag, ciphertext] = parts.slice(1).map(strictBase64url) as [Buffer, Buffer, Buffer];
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES || ciphertext.length === 0) {
    throw new ProfileIntegrityError('sealed profile has a part of the wrong length');
  }
  return { iv, tag, ciphertext };
}

function strictBase64url(text: string): Buffer {
  // Buffer.from skips bad characters silently; insist on the canonical form so tampering cannot hide there.
  const bytes = /^[A-Za-z0-9_-]*$/.test(text) ? Buffer.from(text, 'base64url') : undefined;
  if (bytes === undefined || bytes.toString('base64url') !== text) {
    throw new ProfileIntegrityError('sealed profile is not canonical base64url');
  }
  return bytes;
}

function assertPlainObject(value: unknown): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError('profile must be a plain object');
  }
}

/** Refuses values JSON would silently change (undefined, NaN, Dates, Maps, ...); names the path, not the value. */
function assertJsonSafe(value: unknown, path: string, ancestors: Set<object>): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${path}: numbers must be finite`);
    return;
  }
  if (typeof value !== 'object') throw new TypeError(`${path}: a ${typeof value} cannot be stored as JSON`);
  if (ancestors.has(value)) throw new TypeError(`${path}: circular reference`);
  ancestors.add(value);
  if (Array.isArray(value)) {
    // Index loop, not forEach: holes must be refused (JSON turns them into null), not skipped.
    for (let i = 0; i < value.length; i++) assertJsonSafe(value[i], `${path}[${i}]`, ancestors);
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError(`${path}: only plain objects and arrays can be stored as JSON`);
    }
    for (const [k, v] of Object.entries(value)) assertJsonSafe(v, `${path}.${k}`, ancestors);
  }
  ancestors.delete(value);
}
