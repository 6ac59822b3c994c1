import { createCipheriv, createDecipheriv, createHmac, hkdfSync, type KeyObject } from 'node:crypto';
import { isPseudonym } from './pseudonymizer';
import {
  assertJsonSafe,
  assertPlainObject,
  IV_BYTES,
  padded,
  parseSealed,
  ProfileIntegrityError,
  SEALED_PROFILE_VERSION,
  TAG_BYTES,
} from './sealed-profile';

// The cryptography of the per-person keys, apart from where the wrapped keys are kept: the SQLite key
// file (PersonKeyStore) and the shared store of several replicas (SharedPersonKeyStore) seal, open,
// digest and wrap alike, so a profile sealed on one opens on the other with the same master key.

export const DATA_KEY_BYTES = 32;
const WRAP_FORMAT = 1;
const WRAP_AAD_PREFIX = 'ihl/person-key/v1\u0000';
const MASTER_CHECK_AAD = Buffer.from('ihl/person-key-store/master-check/v1', 'utf8');
const DIGEST_INFO = 'ihl/person-value-digest/v1';

/** Checks a profile before any key is made for it; the padded UTF-8 JSON to seal (the caller zeroes it). */
export function profilePlaintext(profile: object): Buffer {
  assertPlainObject(profile);
  assertJsonSafe(profile, 'profile', new Set());
  return Buffer.from(padded(JSON.stringify(profile)), 'utf8');
}

/**
 * `v1.<iv>.<tag>.<ciphertext>` (base64url, AES-256-GCM, the pseudonym as additional authenticated
 * data, so a sealed profile cannot be passed off as another person's).
 */
export function sealWithKey(dataKey: Buffer, pseudonym: string, plaintext: Buffer, iv: Buffer): string {
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  cipher.setAAD(Buffer.from(pseudonym, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [SEALED_PROFILE_VERSION, iv, tag, ciphertext]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/**
 * Seals the profile under the key `keyFor` gives, asked only once the profile passed its checks (no
 * key is made for a refused profile); the key and the plaintext are zeroed after.
 */
export function sealProfile(pseudonym: string, profile: object, keyFor: () => Buffer, iv: () => Buffer): string {
  const plaintext = profilePlaintext(profile);
  try {
    return usingKey(keyFor(), (dataKey) => sealWithKey(dataKey, pseudonym, plaintext, iv()));
  } finally {
    plaintext.fill(0);
  }
}

/** Runs `use` with an unwrapped data key, which is zeroed after whatever happens. */
export function usingKey<T>(dataKey: Buffer, use: (dataKey: Buffer) => T): T {
  try {
    return use(dataKey);
  } finally {
    dataKey.fill(0);
  }
}

/** Opens what sealWithKey sealed; throws ProfileIntegrityError for anything tampered, foreign or not an object. */
export function openWithKey(dataKey: Buffer, pseudonym: string, sealed: ReturnType<typeof parseSealed>): object {
  let plaintext: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, sealed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(pseudonym, 'utf8'));
    decipher.setAuthTag(sealed.tag);
    plaintext = Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch {
    throw new ProfileIntegrityError(
      'sealed profile failed authentication (tampered, or sealed for another person or key store)',
    );
  }
  const value: unknown = JSON.parse(plaintext.toString('utf8'));
  plaintext.fill(0);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ProfileIntegrityError('sealed profile does not hold an object');
  }
  return value;
}

/** A keyed digest under a key derived from the person's data key (see PersonKeyStore.digestFor). */
export function digestWithKey(dataKey: Buffer, canonicalText: string): string {
  const digestKey = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), DIGEST_INFO, 32));
  try {
    return createHmac('sha256', digestKey).update(canonicalText, 'utf8').digest('hex');
  } finally {
    digestKey.fill(0);
  }
}

export function wrapDataKey(master: KeyObject, pseudonym: string, dataKey: Buffer, iv: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-gcm', master, iv);
  cipher.setAAD(wrapAad(pseudonym));
  const ciphertext = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return Buffer.concat([Buffer.of(WRAP_FORMAT), iv, cipher.getAuthTag(), ciphertext]);
}

export function unwrapDataKey(master: KeyObject, pseudonym: string, wrapped: Buffer): Buffer {
  if (wrapped.length !== 1 + IV_BYTES + TAG_BYTES + DATA_KEY_BYTES || wrapped[0] !== WRAP_FORMAT) {
    throw new ProfileIntegrityError(`wrapped data key of person ${pseudonym} is malformed`);
  }
  const iv = wrapped.subarray(1, 1 + IV_BYTES);
  const tag = wrapped.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', master, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(wrapAad(pseudonym));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(wrapped.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new ProfileIntegrityError(
      `wrapped data key of person ${pseudonym} failed authentication (another master key, or a row from another person)`,
    );
  }
}

/** A value only this master key authenticates: a store records it once, later opens compare. */
export function masterCheckValue(master: KeyObject, iv: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-gcm', master, iv);
  cipher.setAAD(MASTER_CHECK_AAD);
  cipher.final();
  return Buffer.concat([iv, cipher.getAuthTag()]);
}

export function masterCheckMatches(master: KeyObject, value: Buffer): boolean {
  try {
    const decipher = createDecipheriv('aes-256-gcm', master, value.subarray(0, IV_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(MASTER_CHECK_AAD);
    decipher.setAuthTag(value.subarray(IV_BYTES));
    decipher.final();
    return true;
  } catch {
    return false;
  }
}

export function assertPseudonym(pseudonym: string): void {
  // Also stops a raw personal code from being stored as a key name by mistake; never echo the value.
  if (!isPseudonym(pseudonym)) throw new TypeError('person key store: expected a pseudonym (p<version>_<64 hex>)');
}

function wrapAad(pseudonym: string): Buffer {
  return Buffer.from(WRAP_AAD_PREFIX + pseudonym, 'utf8');
}
