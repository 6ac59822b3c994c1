import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { personalCodeCheckDigit } from './personal-code';
import {
  InvalidPersonalCodeError,
  isPseudonym,
  KeyringError,
  parseKeyring,
  pseudonymKeyVersion,
  Pseudonymizer,
} from './pseudonymizer';

const CODE = '38703181745';
const KEY_HEX = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const key = (): Buffer => randomBytes(32);

const validCode = fc
  .tuple(fc.integer({ min: 3, max: 6 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 28 }))
  .chain(([g, yy, dd]) =>
    fc.integer({ min: 0, max: 999 }).map((serial) => {
      const ten = `${g}${String(yy).padStart(2, '0')}01${String(dd).padStart(2, '0')}${String(serial).padStart(3, '0')}`;
      return ten + String(personalCodeCheckDigit(ten));
    }),
  );

describe('Pseudonymizer', () => {
  it('is HMAC-SHA-256 of the normalised code, as `p<version>_<hex>` (known answer from openssl)', () => {
    // printf 38703181745 | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102...1f
    const p = new Pseudonymizer({ currentVersion: 1, keys: { 1: Buffer.from(KEY_HEX, 'hex') } });
    expect(p.pseudonymize(CODE)).toEqual({
      pseudonym: 'p1_11e9f8b6b914cdc95a129057cc9594c775689baf94b0c6a090111fa76f957ddd',
      keyVersion: 1,
    });
    expect(p.pseudonymize(' 387 0318-1745 ')).toEqual(p.pseudonymize(CODE));
  });

  it('is deterministic for the same code and key version, and never contains the code', () => {
    const keys = { 1: key(), 2: key() };
    const a = new Pseudonymizer({ currentVersion: 2, keys });
    const b = new Pseudonymizer({ currentVersion: 2, keys: { 1: Buffer.from(keys[1]), 2: Buffer.from(keys[2]) } });
    fc.assert(
      fc.property(validCode, (code) => {
        const r = a.pseudonymize(code);
        expect(r.keyVersion).toBe(2);
        expect(isPseudonym(r.pseudonym)).toBe(true);
        expect(pseudonymKeyVersion(r.pseudonym)).toBe(2);
        expect(b.pseudonymize(code)).toEqual(r);
        expect(a.pseudonymize(code)).toEqual(r);
        expect(r.pseudonym).not.toContain(code);
        expect(r.pseudonym).not.toContain(code.slice(1, 7));
      }),
    );
  });

  it('gives different pseudonyms for different keys and different codes', () => {
    const a = new Pseudonymizer({ currentVersion: 1, keys: { 1: key() } });
    const b = new Pseudonymizer({ currentVersion: 1, keys: { 1: key() } });
    expect(a.pseudonymize(CODE).pseudonym).not.toBe(b.pseudonymize(CODE).pseudonym);
    expect(a.pseudonymize(CODE).pseudonym).not.toBe(a.pseudonymize('38703180157').pseudonym);
  });

  it('computes older versions on request (lookups after a rotation)', () => {
    const keys = { 1: key(), 2: key() };
    const rotated = new Pseudonymizer({ currentVersion: 2, keys });
    const old = new Pseudonymizer({ currentVersion: 1, keys: { 1: keys[1] } });
    expect(rotated.pseudonymize(CODE, 1)).toEqual(old.pseudonymize(CODE));
    expect(rotated.pseudonymize(CODE).pseudonym).toMatch(/^p2_/);
    expect(rotated.versions).toEqual([1, 2]);
    expect(() => rotated.pseudonymize(CODE, 3)).toThrow(KeyringError);
  });

  it('refuses an invalid code with the rule and without the code', () => {
    const p = new Pseudonymizer({ currentVersion: 1, keys: { 1: key() } });
    const bad = '38703181746';
    try {
      p.pseudonymize(bad);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidPersonalCodeError);
      expect((e as InvalidPersonalCodeError).rule).toBe('checksum');
      expect((e as Error).message).not.toContain(bad);
    }
  });

  it('does not print its keys', () => {
    const k = key();
    const p = new Pseudonymizer({ currentVersion: 1, keys: { 1: k } });
    const hex = k.toString('hex');
    expect(inspect(p, { depth: 10, showHidden: true })).not.toContain(hex.slice(0, 16));
    expect(JSON.stringify(p)).toBe('{"currentVersion":1,"versions":[1]}');
  });

  it.each([
    ['no keys', { currentVersion: 1, keys: {} }, /no keys/],
    ['no key for the current version', { currentVersion: 2, keys: { 1: key() } }, /current version 2 has no key/],
    ['a 31-byte key', { currentVersion: 1, keys: { 1: randomBytes(31) } }, /too short: 31 bytes/],
    ['a string key', { currentVersion: 1, keys: { 1: 'secret' } }, /must be a Buffer/],
    ['version 0', { currentVersion: 0, keys: { 0: key() } }, /whole numbers from 1/],
  ])('refuses a keyring with %s', (_label, keyring, message) => {
    expect(() => new Pseudonymizer(keyring as never)).toThrow(KeyringError);
    expect(() => new Pseudonymizer(keyring as never)).toThrow(message);
  });

  it('refuses two versions with the same key', () => {
    const k = key();
    expect(() => new Pseudonymizer({ currentVersion: 2, keys: { 1: k, 2: Buffer.from(k) } })).toThrow(/identical/);
  });
});

describe('parseKeyring', () => {
  const hexA = randomBytes(32).toString('hex');
  const hexB = randomBytes(48).toString('hex');

  it('reads a single hex key as version 1', () => {
    const ring = parseKeyring(`  ${hexA.toUpperCase()}\n`);
    expect(ring.currentVersion).toBe(1);
    expect(Object.keys(ring.keys)).toEqual(['1']);
    expect(ring.keys[1]?.toString('hex')).toBe(hexA);
  });

  it('reads versioned keys; the highest version is current', () => {
    const ring = parseKeyring(`2:${hexB}, 1:${hexA}`);
    expect(ring.currentVersion).toBe(2);
    expect(ring.keys[1]?.toString('hex')).toBe(hexA);
    expect(ring.keys[2]?.toString('hex')).toBe(hexB);
    expect(new Pseudonymizer(ring).pseudonymize(CODE).keyVersion).toBe(2);
  });

  it.each([
    ['nothing', '', /keyring is empty/],
    ['blanks', '   ', /keyring is empty/],
    ['a short key', hexA.slice(0, 40), /too short: 40 hex digits, at least 64/],
    ['a non-hex key', `${hexA.slice(0, 63)}z`, /must be hexadecimal/],
    ['an odd number of hex digits', `${hexA}0`, /even number/],
    ['a trailing comma', `1:${hexA},`, /entry 2 of 2 is empty/],
    ['a duplicate version', `1:${hexA},1:${hexB}`, /entry 2 of 2: version 1 appears twice/],
    ['version 0', `0:${hexA}`, /entry 1 of 1: version must be a whole number from 1/],
    ['key and version swapped', `${hexA}:1`, /entry 1 of 1: version must be a whole number from 1/],
    ['a "v1" version', `v1:${hexA}`, /version must be a whole number/],
    ['two colons', `1:${hexA}:x`, /must look like <version>:<hex key>/],
    ['a short second key', `1:${hexA},2:${hexB.slice(0, 30)}`, /entry 2 of 2: key is too short/],
    ['the same key twice', `1:${hexA},2:${hexA}`, /identical/],
  ])('refuses %s naming the problem, without echoing the key', (_label, text, message) => {
    try {
      parseKeyring(text);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(KeyringError);
      expect((e as Error).message).toMatch(message);
      expect((e as Error).message.toLowerCase()).not.toContain(hexA.slice(0, 12));
      expect((e as Error).message.toLowerCase()).not.toContain(hexB.slice(0, 12));
    }
  });
});
