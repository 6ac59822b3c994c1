import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  MasterKeyMismatchError,
  parseMasterKey,
  PersonErasedError,
  PersonKeyNotFoundError,
  PersonKeyStore,
  ProfileIntegrityError,
} from './person-key-store';

const pseudonym = (): string => `p1_${randomBytes(32).toString('hex')}`;
const PROFILE = { sex: 'female', birthYear: 1987, disability: 'MARKER-hearing-impairment-7f3a' };

/** Every byte SQLite may hold for the file: the database, its WAL and shared memory index. */
function fileBytes(file: string): Buffer {
  return Buffer.concat([file, `${file}-wal`, `${file}-shm`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
}

describe('PersonKeyStore (SQLite file)', () => {
  let dir: string;
  let file: string;
  let masterKey: Buffer;
  const open: PersonKeyStore[] = [];
  const openStore = (options: Partial<ConstructorParameters<typeof PersonKeyStore>[0]> = {}): PersonKeyStore => {
    const store = new PersonKeyStore({ file, masterKey, ...options });
    open.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-person-keys-'));
    file = join(dir, 'keys', 'person-keys.sqlite');
    masterKey = randomBytes(32);
  });
  afterEach(() => {
    open.splice(0).forEach((s) => s.close());
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates its own file with WAL, owner-only permissions', () => {
    openStore().close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(
      db
        .prepare("select name from sqlite_master where type = 'table' order by name")
        .all()
        .map((r) => (r as { name: string }).name),
    ).toEqual(['person_key_store_meta', 'person_keys']);
    db.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('tightens a key file left world-readable, and makes its folder owner-only, whatever the umask', () => {
    const umask = process.umask(0o022);
    try {
      openStore().close();
      chmodSync(file, 0o644);
      const store = openStore();
      store.encryptProfile(`p1_${'a'.repeat(64)}`, { sex: 'female' });
      for (const f of [file, `${file}-wal`, `${file}-shm`].filter((x) => existsSync(x)))
        expect(statSync(f).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700);
    } finally {
      process.umask(umask);
    }
  });

  it('refuses to share the event store file', () => {
    const db = new Database(file.replace('keys/person-keys', 'events'));
    db.exec('create table events (position integer primary key)');
    db.close();
    expect(() => new PersonKeyStore({ file: file.replace('keys/person-keys', 'events'), masterKey })).toThrow(
      /needs its own file/,
    );
  });

  it('round-trips a profile as v1.<iv>.<tag>.<ciphertext>, with a fresh IV each time and one key per person', () => {
    const store = openStore();
    const p = pseudonym();
    const a = store.encryptProfile(p, PROFILE);
    const b = store.encryptProfile(p, PROFILE);
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(store.decryptProfile(p, a)).toEqual(PROFILE);
    expect(store.decryptProfile(p, b)).toEqual(PROFILE);
    expect(store.isErased(p)).toBe(false);
    const db = new Database(file, { readonly: true });
    expect(db.prepare('select count(*) as n from person_keys').get()).toEqual({ n: 1 });
    db.close();
  });

  it('round-trips arbitrary JSON-safe profiles (property)', () => {
    const store = openStore();
    const people = [pseudonym(), pseudonym(), pseudonym()];
    fc.assert(
      fc.property(
        fc.constantFrom(...people),
        fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })),
        (p, profile) => {
          // JSON has no -0; compare with what JSON itself would give back.
          expect(store.decryptProfile(p, store.encryptProfile(p, profile))).toEqual(
            JSON.parse(JSON.stringify(profile)),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses profiles that JSON would silently change', () => {
    const store = openStore();
    const p = pseudonym();
    expect(() => store.encryptProfile(p, [1, 2])).toThrow(/plain object/);
    expect(() => store.encryptProfile(p, { a: undefined })).toThrow(/profile\.a: a undefined/);
    expect(() => store.encryptProfile(p, { a: [1, Number.NaN] })).toThrow(/profile\.a\[1\]: numbers must be finite/);
    expect(() => store.encryptProfile(p, { at: new Date(0) })).toThrow(/profile\.at: only plain objects/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => store.encryptProfile(p, cyclic)).toThrow(/circular/);
    // Nothing was created for a refused profile.
    expect(() => store.decryptProfile(p, store.encryptProfile(pseudonym(), {}))).toThrow(PersonKeyNotFoundError);
  });

  it('accepts only pseudonyms, and never echoes what it got instead (it may be a personal code)', () => {
    const store = openStore();
    for (const call of [
      () => store.encryptProfile('38703181745', PROFILE),
      () => store.decryptProfile('38703181745', 'v1.a.b.c'),
      () => store.erase('38703181745'),
      () => store.isErased('38703181745'),
    ]) {
      expect(call).toThrow(TypeError);
      try {
        call();
      } catch (e) {
        expect((e as Error).message).not.toContain('38703181745');
      }
    }
  });

  it('cannot be opened with another master key, and a data key wrapped under another master key does not open', () => {
    const p = pseudonym();
    const first = openStore();
    const sealed = first.encryptProfile(p, PROFILE);
    first.close();
    expect(() => new PersonKeyStore({ file, masterKey: randomBytes(32) })).toThrow(MasterKeyMismatchError);

    // A row copied into another deployment's key file (other master key) fails authentication.
    const otherFile = join(dir, 'other.sqlite');
    const otherMaster = randomBytes(32);
    new PersonKeyStore({ file: otherFile, masterKey: otherMaster }).close();
    const src = new Database(file, { readonly: true });
    const row = src.prepare('select * from person_keys').get();
    src.close();
    const dst = new Database(otherFile);
    dst.prepare('insert into person_keys values (@pseudonym, @key, @created_at, @erased_at)').run(row);
    dst.close();
    const other = new PersonKeyStore({ file: otherFile, masterKey: otherMaster });
    open.push(other);
    expect(() => other.decryptProfile(p, sealed)).toThrow(ProfileIntegrityError);
    expect(() => other.decryptProfile(p, sealed)).toThrow(/another master key/);
  });

  it('rejects a tampered, malformed or misattributed sealed profile', () => {
    const store = openStore();
    const p = pseudonym();
    const q = pseudonym();
    store.encryptProfile(q, {});
    const sealed = store.encryptProfile(p, PROFILE);
    const parts = sealed.split('.');
    const flip = (part: number): string => {
      const bytes = Buffer.from(parts[part] as string, 'base64url');
      bytes[0] = (bytes[0] as number) ^ 1;
      return parts.map((x, i) => (i === part ? bytes.toString('base64url') : x)).join('.');
    };
    expect(() => store.decryptProfile(p, flip(1))).toThrow(ProfileIntegrityError); // iv
    expect(() => store.decryptProfile(p, flip(2))).toThrow(ProfileIntegrityError); // tag
    expect(() => store.decryptProfile(p, flip(3))).toThrow(ProfileIntegrityError); // ciphertext
    expect(() => store.decryptProfile(q, sealed)).toThrow(/authentication/); // another person's profile
    for (const bad of ['', 'v1', 'v2' + sealed.slice(2), `${sealed}.x`, `${sealed}=`, sealed.replace('.', '.!')]) {
      expect(() => store.decryptProfile(p, bad)).toThrow(ProfileIntegrityError);
    }
    expect(store.decryptProfile(p, sealed)).toEqual(PROFILE);
  });

  it('tells a missing key apart from an erased one', () => {
    const store = openStore();
    const sealed = openStore({ file: join(dir, 'elsewhere.sqlite') }).encryptProfile(pseudonym(), PROFILE);
    expect(() => store.decryptProfile(pseudonym(), sealed)).toThrow(PersonKeyNotFoundError);
  });

  it('erases: decrypt gives null, the tombstone stays, and no new key is ever created', () => {
    const times = ['2026-01-05T08:00:00.000Z', '2026-02-10T09:30:00.000Z'];
    let now = times[0] as string;
    const store = openStore({ clock: () => new Date(now) });
    const p = pseudonym();
    const sealed = store.encryptProfile(p, PROFILE);
    now = times[1] as string;
    expect(store.erase(p)).toBe(true);
    expect(store.isErased(p)).toBe(true);
    expect(store.decryptProfile(p, sealed)).toBeNull();
    expect(store.erase(p)).toBe(false);
    expect(() => store.encryptProfile(p, PROFILE)).toThrow(PersonErasedError);

    // Erasing someone never seen before leaves a tombstone too.
    const unseen = pseudonym();
    expect(store.erase(unseen)).toBe(true);
    expect(() => store.encryptProfile(unseen, PROFILE)).toThrow(PersonErasedError);

    const db = new Database(file, { readonly: true });
    expect(db.prepare('select key, created_at, erased_at from person_keys where pseudonym = ?').get(p)).toEqual({
      key: null,
      created_at: times[0],
      erased_at: times[1],
    });
    db.close();
  });

  it('survives reopening the file: keys, erasures and tombstones', () => {
    const kept = pseudonym();
    const gone = pseudonym();
    const first = openStore();
    const sealedKept = first.encryptProfile(kept, PROFILE);
    const sealedGone = first.encryptProfile(gone, { sex: 'male' });
    first.erase(gone);
    first.close();

    const second = openStore();
    expect(second.decryptProfile(kept, sealedKept)).toEqual(PROFILE);
    expect(second.decryptProfile(gone, sealedGone)).toBeNull();
    expect(second.isErased(gone)).toBe(true);
    expect(() => second.encryptProfile(gone, { sex: 'male' })).toThrow(PersonErasedError);
    expect(second.decryptProfile(kept, second.encryptProfile(kept, { x: 1 }))).toEqual({ x: 1 });
  });

  it('keeps neither profiles, nor raw data keys, nor the master key in the file; erased keys leave no bytes', () => {
    const dataKeys: Buffer[] = [];
    const store = openStore({
      randomBytes: (size) => {
        const bytes = randomBytes(size);
        if (size === 32) dataKeys.push(Buffer.from(bytes));
        return bytes;
      },
    });
    const people = [pseudonym(), pseudonym(), pseudonym()];
    for (const p of people) store.encryptProfile(p, PROFILE);
    expect(dataKeys).toHaveLength(3);

    const check = (): void => {
      const bytes = fileBytes(file);
      expect(bytes.length).toBeGreaterThan(0);
      expect(bytes.includes('MARKER-hearing')).toBe(false);
      expect(bytes.includes(JSON.stringify(PROFILE))).toBe(false);
      expect(bytes.includes(masterKey)).toBe(false);
      for (const k of dataKeys) expect(bytes.includes(k)).toBe(false);
    };
    check();

    const db = new Database(file, { readonly: true });
    const wrapped = (db.prepare('select key from person_keys where pseudonym = ?').get(people[0]) as { key: Buffer })
      .key;
    db.close();
    expect(wrapped).toHaveLength(61);
    expect(fileBytes(file).includes(wrapped.subarray(29))).toBe(true);

    store.erase(people[0] as string);
    check();
    expect(fileBytes(file).includes(wrapped.subarray(29))).toBe(false);
    store.close();
    check();
    expect(fileBytes(file).includes(wrapped.subarray(29))).toBe(false);
  });

  it('validates the master key', () => {
    expect(() => new PersonKeyStore({ file, masterKey: randomBytes(16) })).toThrow(/exactly 32 bytes/);
    const hex = randomBytes(32).toString('hex');
    expect(parseMasterKey(` ${hex}\n`).toString('hex')).toBe(hex);
    expect(() => parseMasterKey(hex.slice(2))).toThrow(/exactly 64 hex digits/);
    try {
      parseMasterKey(`${hex}zz`);
    } catch (e) {
      expect((e as Error).message).not.toContain(hex.slice(0, 12));
    }
  });

  it('refuses work after close', () => {
    const store = openStore();
    store.close();
    store.close();
    expect(() => store.isErased(pseudonym())).toThrow(/closed/);
  });

  it('commits a new key at once for every connection, and makes the keys it used durable in one sync per turn', async () => {
    const store = openStore();
    await expect(store.whenDurable()).resolves.toBeUndefined();
    const [a, b] = [pseudonym(), pseudonym()];
    const sealed = store.encryptProfile(a, PROFILE);
    store.digestFor(b, '{}');
    const other = new Database(file, { readonly: true });
    const count = (): unknown => other.prepare('select count(*) as n from person_keys').get();
    const syncs = (): unknown =>
      other.prepare("select count(*) as n from person_key_store_meta where name = 'synced'").get();
    try {
      expect(count()).toEqual({ n: 2 });
      expect(syncs()).toEqual({ n: 0 });
      await Promise.all([store.whenDurable(), store.whenDurable()]);
      expect(syncs()).toEqual({ n: 1 });
      // Both keys synced: using them again needs no further sync.
      store.digestFor(a, '{}');
      const before = other.prepare("select value from person_key_store_meta where name = 'synced'").get();
      await store.whenDurable();
      expect(other.prepare("select value from person_key_store_meta where name = 'synced'").get()).toEqual(before);
    } finally {
      other.close();
    }
    // Another process's copy (an earlier run) of a key it did not sync itself counts as unsynced.
    const reopened = openStore();
    expect(reopened.decryptProfile(a, sealed)).toEqual(PROFILE);
    reopened.digestFor(a, '{}');
    const waiting = reopened.whenDurable();
    reopened.close();
    await expect(waiting).resolves.toBeUndefined();
  });

  it('creates the missing keys of many persons at once, never one for an erased person, and keeps existing ones', () => {
    const store = openStore();
    const [known, fresh, erased] = [pseudonym(), pseudonym(), pseudonym()];
    const sealed = store.encryptProfile(known, PROFILE);
    store.erase(erased);
    store.ensureKeys([known, fresh, fresh, erased]);
    expect(store.decryptProfile(known, sealed)).toEqual(PROFILE);
    expect(store.decryptProfile(fresh, store.encryptProfile(fresh, PROFILE))).toEqual(PROFILE);
    expect(store.isErased(erased)).toBe(true);
    expect(() => store.encryptProfile(erased, PROFILE)).toThrow(PersonErasedError);
    expect(() => store.ensureKeys(['12345678901'])).toThrow(TypeError);
  });
});
