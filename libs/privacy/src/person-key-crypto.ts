import { createSecretKey, randomBytes as cryptoRandomBytes, type KeyObject } from 'node:crypto';
import { assertPseudonym, digestWithKey, openWithKey, sealProfile, unwrapDataKey, usingKey } from './person-key-cipher';
import { IV_BYTES, parseSealed } from './sealed-profile';

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

/**
 * Sealing, opening and digesting with each person's data key, whichever store keeps the wrapped keys
 * (the SQLite key file, or the shared store of several replicas): the store says where a person's
 * wrapped key is and makes one on first use; this does the rest alike for both.
 */
export abstract class PersonKeyCrypto {
  protected readonly master: KeyObject;
  protected readonly random: (size: number) => Buffer;

  protected constructor(masterKey: Buffer, randomBytes: ((size: number) => Buffer) | undefined) {
    if (!Buffer.isBuffer(masterKey) || masterKey.length !== MASTER_KEY_BYTES) {
      throw new TypeError(`person key store: master key must be a Buffer of exactly ${MASTER_KEY_BYTES} bytes`);
    }
    this.master = createSecretKey(Buffer.from(masterKey));
    this.random = randomBytes ?? cryptoRandomBytes;
  }

  protected abstract assertOpen(): void;
  /** The person's wrapped key; 'erased' for an erased person; null when the store has none. */
  protected abstract wrappedKeyOf(pseudonym: string): Buffer | 'erased' | null;
  /** The person's unwrapped data key, made on first use; PersonErasedError for an erased person. */
  protected abstract dataKeyFor(pseudonym: string): Buffer;

  /**
   * Seals a JSON-safe profile with the person's data key (created on first use) as
   * `v1.<iv>.<tag>.<ciphertext>` (base64url, AES-256-GCM, the pseudonym as additional authenticated
   * data, so a sealed profile cannot be passed off as another person's). Throws PersonErasedError for
   * an erased person.
   */
  encryptProfile(pseudonym: string, profile: object): string {
    this.assertOpen();
    assertPseudonym(pseudonym);
    return sealProfile(
      pseudonym,
      profile,
      () => this.dataKeyFor(pseudonym),
      () => this.random(IV_BYTES),
    );
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
    return usingKey(dataKey, (k) => digestWithKey(k, canonicalText));
  }

  /**
   * Opens a sealed profile; null when the person was erased. Throws ProfileIntegrityError when the
   * sealed text is malformed, tampered with or belongs to another person or key store.
   */
  decryptProfile(pseudonym: string, sealed: string): Record<string, unknown> | null {
    this.assertOpen();
    assertPseudonym(pseudonym);
    const parts = parseSealed(sealed);
    const wrapped = this.wrappedKeyOf(pseudonym);
    if (wrapped === null) throw new PersonKeyNotFoundError(pseudonym);
    if (wrapped === 'erased') return null;
    return usingKey(
      unwrapDataKey(this.master, pseudonym, wrapped),
      (k) => openWithKey(k, pseudonym, parts) as Record<string, unknown>,
    );
  }
}
