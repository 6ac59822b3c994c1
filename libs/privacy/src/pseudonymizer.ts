import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { normalisePersonalCode, validatePersonalCode, type PersonalCodeRule } from './personal-code';

/**
 * Pseudonym format: `p<keyVersion>_<64 lowercase hex>`, the hex being
 * HMAC-SHA-256(key[keyVersion], UTF-8 bytes of the normalised personal code).
 * The version is part of the pseudonym so pseudonyms made with different keys can never collide and a
 * stored pseudonym says which key made it.
 */
export const PSEUDONYM_PATTERN = /^p([1-9]\d{0,8})_[0-9a-f]{64}$/;

/** Smallest accepted HMAC key: 256 bits, the output size of SHA-256. */
export const MIN_PSEUDONYM_KEY_BYTES = 32;

export interface Keyring {
  readonly currentVersion: number;
  readonly keys: Readonly<Record<number, Buffer>>;
}

export interface PseudonymResult {
  readonly pseudonym: string;
  readonly keyVersion: number;
}

/** A keyring that cannot be used. Messages never contain key material. */
export class KeyringError extends Error {
  override readonly name = 'KeyringError';
}

/** The personal code is not valid; carries the rule, never the code. */
export class InvalidPersonalCodeError extends Error {
  override readonly name = 'InvalidPersonalCodeError';
  constructor(
    readonly rule: PersonalCodeRule,
    message: string,
  ) {
    super(message);
  }
}

export function isPseudonym(value: unknown): value is string {
  return typeof value === 'string' && PSEUDONYM_PATTERN.test(value);
}

/** The key version a pseudonym was made with, or undefined when it is not a pseudonym. */
export function pseudonymKeyVersion(value: string): number | undefined {
  const m = PSEUDONYM_PATTERN.exec(value);
  return m ? Number(m[1]) : undefined;
}

export class Pseudonymizer {
  readonly currentVersion: number;
  // KeyObjects, not Buffers: util.inspect/JSON.stringify of this instance cannot print key bytes.
  readonly #keys = new Map<number, KeyObject>();

  constructor(keyring: Keyring) {
    const keys = checkKeyring(keyring);
    for (const [version, key] of keys) this.#keys.set(version, createSecretKey(Buffer.from(key)));
    this.currentVersion = keyring.currentVersion;
  }

  /** Versions this instance can compute, ascending (older ones serve lookups after a key rotation). */
  get versions(): readonly number[] {
    return [...this.#keys.keys()].sort((a, b) => a - b);
  }

  /**
   * Normalises and validates the code, then computes its pseudonym with the current key (or the given
   * version). Throws InvalidPersonalCodeError for an invalid code so garbage never becomes a person.
   */
  pseudonymize(code: string, keyVersion: number = this.currentVersion): PseudonymResult {
    const key = this.#keys.get(keyVersion);
    if (key === undefined) throw new KeyringError(`pseudonym key version ${keyVersion} is not in the keyring`);
    const v = validatePersonalCode(code);
    if (!v.ok) throw new InvalidPersonalCodeError(v.rule, v.message);
    const mac = createHmac('sha256', key).update(normalisePersonalCode(code), 'utf8').digest('hex');
    return { pseudonym: `p${keyVersion}_${mac}`, keyVersion };
  }

  toJSON(): { currentVersion: number; versions: readonly number[] } {
    return { currentVersion: this.currentVersion, versions: this.versions };
  }
}

/**
 * Parses a keyring setting: `1:<hex>,2:<hex>` (the highest version is current) or a single `<hex>` key
 * meaning version 1. Each key needs at least 64 hex digits (32 bytes). Errors name the entry by its
 * position and never echo any part of the text, which may be a key pasted in the wrong place.
 */
export function parseKeyring(text: string): Keyring {
  if (typeof text !== 'string' || text.trim() === '') throw new KeyringError('keyring is empty');
  const trimmed = text.trim();
  if (!trimmed.includes(':') && !trimmed.includes(',')) {
    const keys = { 1: parseHexKey(trimmed, 'the key') };
    return { currentVersion: 1, keys };
  }
  const keys: Record<number, Buffer> = {};
  const entries = trimmed.split(',');
  entries.forEach((raw, index) => {
    const where = `entry ${index + 1} of ${entries.length}`;
    const entry = raw.trim();
    if (entry === '') throw new KeyringError(`keyring ${where} is empty (expected <version>:<hex key>)`);
    const parts = entry.split(':');
    if (parts.length !== 2) throw new KeyringError(`keyring ${where} must look like <version>:<hex key>`);
    const [versionText, keyText] = parts.map((p) => p.trim()) as [string, string];
    if (!/^[1-9]\d{0,8}$/.test(versionText)) {
      throw new KeyringError(`keyring ${where}: version must be a whole number from 1`);
    }
    const version = Number(versionText);
    if (keys[version] !== undefined) throw new KeyringError(`keyring ${where}: version ${version} appears twice`);
    keys[version] = parseHexKey(keyText, `${where}: key`);
  });
  const currentVersion = Math.max(...Object.keys(keys).map(Number));
  checkKeyring({ currentVersion, keys });
  return { currentVersion, keys };
}

function parseHexKey(hex: string, what: string): Buffer {
  if (!/^[0-9a-fA-F]+$/.test(hex)) throw new KeyringError(`keyring ${what} must be hexadecimal`);
  if (hex.length % 2 !== 0) throw new KeyringError(`keyring ${what} must have an even number of hex digits`);
  if (hex.length < MIN_PSEUDONYM_KEY_BYTES * 2) {
    throw new KeyringError(
      `keyring ${what} is too short: ${hex.length} hex digits, at least ${MIN_PSEUDONYM_KEY_BYTES * 2} needed (${MIN_PSEUDONYM_KEY_BYTES} bytes)`,
    );
  }
  return Buffer.from(hex, 'hex');
}

function checkKeyring(keyring: Keyring): Map<number, Buffer> {
  if (keyring === null || typeof keyring !== 'object' || keyring.keys === null || typeof keyring.keys !== 'object') {
    throw new KeyringError('keyring must be { currentVersion, keys }');
  }
  const keys = new Map<number, Buffer>();
  for (const [name, key] of Object.entries(keyring.keys)) {
    if (!/^[1-9]\d{0,8}$/.test(name)) throw new KeyringError('keyring versions must be whole numbers from 1');
    if (!Buffer.isBuffer(key)) throw new KeyringError(`keyring key ${name} must be a Buffer`);
    if (key.length < MIN_PSEUDONYM_KEY_BYTES) {
      throw new KeyringError(
        `keyring key ${name} is too short: ${key.length} bytes, at least ${MIN_PSEUDONYM_KEY_BYTES} needed`,
      );
    }
    for (const [other, otherKey] of keys) {
      // A key copied under a new version would make a rotation meaningless.
      if (otherKey.equals(key)) throw new KeyringError(`keyring keys ${other} and ${name} are identical`);
    }
    keys.set(Number(name), key);
  }
  if (keys.size === 0) throw new KeyringError('keyring has no keys');
  if (!keys.has(keyring.currentVersion)) {
    throw new KeyringError(`keyring current version ${String(keyring.currentVersion)} has no key`);
  }
  return keys;
}
