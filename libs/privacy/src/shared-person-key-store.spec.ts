import { randomBytes } from 'node:crypto';
import { MasterKeyMismatchError, PersonErasedError, PersonKeyNotFoundError } from './person-key-store';
import { SharedPersonKeyStore, type SharedKey, type SharedKeyDirectory } from './shared-person-key-store';

const pseudonym = (): string => `p1_${randomBytes(32).toString('hex')}`;
const PROFILE = { sex: 'female', birthYear: 1987, disability: 'MARKER-hearing-impairment-7f3a' };

/** One shared store in memory; each replica sees it through its own directory, counting its calls. */
class MemoryStore {
  readonly keys = new Map<string, SharedKey>();
  directory(): SharedKeyDirectory & { calls: number } {
    const keys = this.keys;
    return {
      calls: 0,
      fetch(name) {
        this.calls += 1;
        return keys.get(name) ?? null;
      },
      claim(entries) {
        this.calls += 1;
        return entries.map(({ name, wrapped }) => {
          if (!keys.has(name)) keys.set(name, Buffer.from(wrapped));
          return keys.get(name)!;
        });
      },
      destroy(name) {
        this.calls += 1;
        const had = keys.get(name) !== 'erased';
        keys.set(name, 'erased');
        return had;
      },
      close: () => undefined,
    };
  }
}

describe('SharedPersonKeyStore (several replicas, one shared store)', () => {
  const masterKey = randomBytes(32);
  let shared: MemoryStore;
  beforeEach(() => {
    shared = new MemoryStore();
  });

  it('a profile sealed on one replica opens on another, and both digest a value alike', () => {
    const a = new SharedPersonKeyStore({ directory: shared.directory(), masterKey });
    const b = new SharedPersonKeyStore({ directory: shared.directory(), masterKey });
    const p = pseudonym();
    const sealed = a.encryptProfile(p, PROFILE);
    expect(b.decryptProfile(p, sealed)).toEqual(PROFILE);
    expect(b.digestFor(p, '{"sex":"female"}')).toBe(a.digestFor(p, '{"sex":"female"}'));
    // The wrapped key alone is stored: no profile value, no data key in clear.
    expect(JSON.stringify([...shared.keys.values()].map(String))).not.toContain('MARKER');
  });

  it('two replicas making a key for one new person at once end with one key (the first stored wins)', () => {
    const a = new SharedPersonKeyStore({ directory: shared.directory(), masterKey });
    const b = new SharedPersonKeyStore({ directory: shared.directory(), masterKey });
    const p = pseudonym();
    b.ensureKeys([p]);
    const sealedOnA = a.encryptProfile(p, PROFILE);
    const sealedOnB = b.encryptProfile(p, { sex: 'male' });
    expect(a.decryptProfile(p, sealedOnB)).toEqual({ sex: 'male' });
    expect(b.decryptProfile(p, sealedOnA)).toEqual(PROFILE);
  });

  it('keeps used keys in memory: a second open asks the shared store nothing', () => {
    const directory = shared.directory();
    const b = new SharedPersonKeyStore({ directory, masterKey });
    const a = new SharedPersonKeyStore({ directory: shared.directory(), masterKey });
    const p = pseudonym();
    const sealed = a.encryptProfile(p, PROFILE);
    b.decryptProfile(p, sealed);
    const calls = directory.calls;
    b.decryptProfile(p, sealed);
    expect(directory.calls).toBe(calls);
  });

  it('an erasure on one replica: the other stops opening once told (forget), a new replica at once', () => {
    const a = new SharedPersonKeyStore({ directory: shared.directory(), masterKey });
    const b = new SharedPersonKeyStore({ directory: shared.directory(), masterKey });
    const p = pseudonym();
    const sealed = a.encryptProfile(p, PROFILE);
    expect(b.decryptProfile(p, sealed)).toEqual(PROFILE);
    expect(a.erase(p)).toBe(true);
    expect(a.decryptProfile(p, sealed)).toBeNull();
    // B still holds the key in memory until it sees the erasure event: the window the docs state.
    expect(b.decryptProfile(p, sealed)).toEqual(PROFILE);
    b.forget(p);
    expect(b.decryptProfile(p, sealed)).toBeNull();
    expect(b.isErased(p)).toBe(true);
    const c = new SharedPersonKeyStore({ directory: shared.directory(), masterKey });
    expect(c.decryptProfile(p, sealed)).toBeNull();
    expect(() => c.encryptProfile(p, PROFILE)).toThrow(PersonErasedError);
    expect(c.digestFor(p, 'x')).toBeNull();
    expect(c.erase(p)).toBe(false);
    expect(shared.keys.get(p)).toBe('erased');
  });

  it('forgets the oldest keys past its cache size and fetches them again', () => {
    const a = new SharedPersonKeyStore({ directory: shared.directory(), masterKey });
    const directory = shared.directory();
    const b = new SharedPersonKeyStore({ directory, masterKey, cacheSize: 2 });
    const people = [pseudonym(), pseudonym(), pseudonym()];
    const sealed = people.map((p) => a.encryptProfile(p, PROFILE));
    people.forEach((p, i) => expect(b.decryptProfile(p, sealed[i]!)).toEqual(PROFILE));
    const calls = directory.calls;
    expect(b.decryptProfile(people[0]!, sealed[0]!)).toEqual(PROFILE);
    expect(directory.calls).toBe(calls + 1);
  });

  it('refuses another master key than the one the shared store was started with', () => {
    new SharedPersonKeyStore({ directory: shared.directory(), masterKey }).close();
    expect(() => new SharedPersonKeyStore({ directory: shared.directory(), masterKey: randomBytes(32) })).toThrow(
      MasterKeyMismatchError,
    );
  });

  it('tells a person with no key apart, and accepts only pseudonyms (never echoing the value)', () => {
    const a = new SharedPersonKeyStore({ directory: shared.directory(), masterKey });
    const sealed = a.encryptProfile(pseudonym(), PROFILE);
    expect(() => a.decryptProfile(pseudonym(), sealed)).toThrow(PersonKeyNotFoundError);
    expect(() => a.encryptProfile('38703181745', PROFILE)).toThrow(TypeError);
    expect(() => a.erase('38703181745')).toThrow(/expected a pseudonym \(p<version>_<64 hex>\)$/);
    expect(shared.keys.size).toBe(2); // the master check and the one person
  });
});
