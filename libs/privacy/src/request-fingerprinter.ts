import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '@ihl/domain';
import type { PersonKeyStore } from './person-key-store';
import type { Keyring, Pseudonymizer } from './pseudonymizer';

// A request fingerprint lets the ledger tell a retry (same Idempotency-Key, same body) from a key
// reused with another body. It used to be SHA-256 of the raw body: for a service delivery that body
// holds a personal code and a profile, both guessable, so the hash was a lookup table away from them.
// Now:
//   f<v>:<mac>[:<digest>,...]
//   mac    = HMAC(HKDF(pseudonym key v), "<method> <path>\n<subject>\n<canonical body>") over the body
//            with every personal code replaced by its pseudonym (key v) and every profile beside it by
//            a placeholder: what is left is what the events hold in clear anyway.
//   digest = per person named in the body, HMAC under a key derived from that person's own data key
//            of the profile sent ("-" when none was sent): an erasure destroys the key, so nothing
//            stored can be used to test guesses of an erased person's profile, by anyone.
// Written by earlier versions and rewritten by `ledger migrate`:
//   m:<hex>  = HMAC(HKDF(profile master key), the old SHA-256) — the old hash, no longer testable
//              without the master key;
//   dropped  = an old hash that covered an erased person: nothing left to compare, a retry is
//              answered as the original.
// A bare 64-hex value (a ledger not yet migrated) is still compared as before, so retries work
// across the migration.

export const LEGACY_REQUEST_HASH = /^[0-9a-f]{64}$/;
export const DROPPED_REQUEST_HASH = 'dropped';
const FINGERPRINT = /^f([1-9]\d{0,8}):([0-9a-f]{64})(?::([0-9a-fe,-]*))?$/;
const MIGRATED = /^m:([0-9a-f]{64})$/;
const MAC_INFO = 'ihl/request-fingerprint/v1';
const LEGACY_INFO = 'ihl/legacy-request-hash/v1';
const PROFILE_PLACEHOLDER = '#profile';
const ERASED = 'e';
const NO_PROFILE = '-';

export interface FingerprintInput {
  readonly method: string;
  readonly path: string;
  readonly subject: string;
  readonly body: unknown;
}

export interface Fingerprint {
  value(): string;
  matches(stored: string | undefined): boolean;
}

interface NamedPerson {
  readonly pseudonym: string | null;
  readonly profile: unknown;
}

export class RequestFingerprinter {
  readonly #macKeys = new Map<number, Buffer>();
  readonly #legacyKey: Buffer;

  constructor(
    keyring: Keyring,
    private readonly pseudonymizer: Pseudonymizer,
    private readonly keys: Pick<PersonKeyStore, 'digestFor'> & Partial<Pick<PersonKeyStore, 'ensureKeys'>>,
    masterKey: Buffer,
  ) {
    for (const [version, key] of Object.entries(keyring.keys))
      this.#macKeys.set(Number(version), derive(key, MAC_INFO));
    this.#legacyKey = derive(masterKey, LEGACY_INFO);
  }

  fingerprint(request: FingerprintInput): Fingerprint {
    let current: string | undefined;
    return {
      value: () => (current ??= this.compute(request, this.pseudonymizer.currentVersion)),
      matches: (stored) => this.matches(request, stored),
    };
  }

  /** What `ledger migrate` stores in place of an old, unkeyed request hash. */
  migrateLegacy(legacyHex: string): string {
    return `m:${createHmac('sha256', this.#legacyKey).update(legacyHex, 'utf8').digest('hex')}`;
  }

  private matches(request: FingerprintInput, stored: string | undefined): boolean {
    if (stored === undefined) return false;
    if (stored === DROPPED_REQUEST_HASH) return true;
    if (LEGACY_REQUEST_HASH.test(stored)) return same(legacyHash(request), stored);
    const migrated = MIGRATED.exec(stored);
    if (migrated) return same(this.migrateLegacy(legacyHash(request)), stored);
    const m = FINGERPRINT.exec(stored);
    if (!m || !this.#macKeys.has(Number(m[1]))) return false;
    const persons: NamedPerson[] = [];
    const mac = this.mac(request, Number(m[1]), persons);
    if (!same(mac, m[2]!)) return false;
    const storedDigests = m[3] === undefined ? [] : m[3].split(',');
    if (storedDigests.length !== persons.length) return false;
    return persons.every((p, i) => {
      const now = this.digest(p);
      // An erased person's profile can no longer be compared: the rest of the request decides.
      return now === ERASED || same(now, storedDigests[i]!);
    });
  }

  private compute(request: FingerprintInput, version: number): string {
    const persons: NamedPerson[] = [];
    const mac = this.mac(request, version, persons);
    // The keys of a batch's new persons in one commit, not one each.
    const named = persons.flatMap((p) => (p.profile !== undefined && p.pseudonym !== null ? [p.pseudonym] : []));
    if (named.length > 1) this.keys.ensureKeys?.(named);
    const digests = persons.map((p) => this.digest(p));
    return `f${version}:${mac}${digests.length > 0 ? `:${digests.join(',')}` : ''}`;
  }

  private mac(request: FingerprintInput, version: number, persons: NamedPerson[]): string {
    const body = this.redact(request.body, version, persons);
    return createHmac('sha256', this.#macKeys.get(version)!)
      .update(`${request.method} ${request.path}\n${request.subject}\n${canonicalJson(body ?? null)}`, 'utf8')
      .digest('hex');
  }

  private digest(person: NamedPerson): string {
    if (person.profile === undefined || person.pseudonym === null) return NO_PROFILE;
    return this.keys.digestFor(person.pseudonym, canonicalJson(person.profile)) ?? ERASED;
  }

  /** The body with personal codes as pseudonyms and the profiles beside them set aside. */
  private redact(value: unknown, version: number, persons: NamedPerson[]): unknown {
    if (Array.isArray(value)) return value.map((v) => this.redact(v, version, persons));
    if (value === null || typeof value !== 'object') return value;
    const o = value as Record<string, unknown>;
    const names = typeof o.personalCode === 'string';
    const pseudonym = names ? this.pseudonymOrNull(o.personalCode as string, version) : null;
    if (names) persons.push({ pseudonym, profile: o.profile });
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      if (names && k === 'personalCode') out[k] = pseudonym ?? 'invalid';
      else if (names && k === 'profile') out[k] = v === undefined ? undefined : PROFILE_PLACEHOLDER;
      else out[k] = this.redact(v, version, persons);
    }
    return out;
  }

  private pseudonymOrNull(code: string, version: number): string | null {
    try {
      return this.pseudonymizer.pseudonymize(code, version).pseudonym;
    } catch {
      // An invalid code is refused before anything is written: its fingerprint is never stored.
      return null;
    }
  }
}

/** The unkeyed hash earlier versions stored; computed only to recognise their retries, never stored. */
function legacyHash(request: FingerprintInput): string {
  return createHash('sha256')
    .update(`${request.method} ${request.path}\n${request.subject}\n${canonicalJson(request.body ?? null)}`)
    .digest('hex');
}

function derive(key: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), info, 32));
}

function same(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
