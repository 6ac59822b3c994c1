import {
  assertPseudonym,
  DATA_KEY_BYTES,
  masterCheckMatches,
  masterCheckValue,
  unwrapDataKey,
  wrapDataKey,
} from './person-key-cipher';
import { MasterKeyMismatchError, PersonErasedError, PersonKeyCrypto } from './person-key-crypto';
import type { PersonKeyStore } from './person-key-store';
import { IV_BYTES } from './sealed-profile';

/** What the api needs of a person-key store, whichever keeps the keys. */
export type PersonKeys = Pick<
  PersonKeyStore,
  'encryptProfile' | 'decryptProfile' | 'digestFor' | 'ensureKeys' | 'erase' | 'isErased' | 'whenDurable' | 'close'
> & {
  /** Shared stores: fetches the keys of these persons not held here yet, together (before a page is projected). */
  prefetch?(pseudonyms: readonly string[]): void;
  /** Shared stores: round trips made to the shared store since it opened. */
  readonly roundTrips?: number;
  /** Shared stores: how the erasures made by other replicas reach this one. */
  erasureFollower?(): ErasureFollowerState | null;
};

/**
 * What follows the erasures other replicas make. `running`: subscribed; `behind`: not subscribed
 * now (connecting again, with backoff): an erasure made elsewhere does not reach this replica
 * until it is; `failed`: it stopped for good (a restart is needed). `position`: the log position of
 * the last erasure it handed over (or where it started).
 */
export interface ErasureFollowerState {
  readonly status: 'running' | 'behind' | 'failed';
  readonly position: number;
  readonly erasuresSeen: number;
  readonly since?: string;
  readonly lastError?: string;
}

/** A person's wrapped key in a shared store; `erased` once it was destroyed there. */
export type SharedKey = Buffer | 'erased';

/**
 * A store every replica reaches (e.g. EventStoreDB), seen synchronously: the key store's callers
 * (sealing inside a decision, opening inside a projection batch) cannot wait. Each answer is final
 * on the store when it returns: nothing is acknowledged before the cluster has it.
 */
export interface SharedKeyDirectory {
  /** The wrapped key stored under `name`; null when there is none. */
  fetch(name: string): SharedKey | null;
  /** Several keys in one round trip (null for each that has none), in the order asked; optional. */
  fetchMany?(names: readonly string[]): (SharedKey | null)[];
  /** Round trips made so far (the cost a prefetch saves); optional. */
  readonly roundTrips?: number;
  /** Stores each wrapped key unless its name already has one or was erased; what the store holds after. */
  claim(entries: readonly { readonly name: string; readonly wrapped: Buffer }[]): SharedKey[];
  /** Destroys the key for good (and any key later offered for the name); false when already gone. */
  destroy(name: string): boolean;
  close(): void;
}

export interface SharedPersonKeyStoreOptions {
  readonly directory: SharedKeyDirectory;
  /** 32 bytes (AES-256) from configuration; never stored. */
  readonly masterKey: Buffer;
  readonly randomBytes?: (size: number) => Buffer;
  /** How many persons' wrapped keys are kept in memory (default 100,000); past it the oldest go. */
  readonly cacheSize?: number;
  /** Called once when the store closes (e.g. to stop what follows the erasures for it). */
  readonly onClose?: () => void;
  /** Where what follows the erasures for it stands (for /health). */
  readonly followerState?: () => ErasureFollowerState | null;
}

/**
 * The shared store did not answer (unreachable cluster, no leader, a timeout): the call fails and
 * nothing that needed the key is written; a projection batch is retried rather than counting the
 * person as unknown.
 */
export class SharedKeyStoreUnavailableError extends Error {
  override readonly name = 'SharedKeyStoreUnavailableError';
}

/** The name the master-key check value is kept under; no pseudonym looks like it. */
export const MASTER_CHECK_NAME = 'master-check';
const DEFAULT_CACHE_SIZE = 100_000;

/**
 * Per-person keys kept in a store shared by several replicas, wrapped with the master key as in the
 * SQLite key file, and sealed, opened and digested alike (person-key-cipher.ts). Each replica keeps
 * the wrapped keys it used in memory; an erasure made on another replica reaches it through
 * `forget` (the replica follows the erasure events of the log), so it stops opening that person's
 * profiles once it has seen the event.
 */
export class SharedPersonKeyStore extends PersonKeyCrypto implements PersonKeys {
  private readonly cache = new Map<string, SharedKey>();
  private readonly cacheSize: number;
  private readonly directory: SharedKeyDirectory;
  private readonly onClose: (() => void) | undefined;
  private readonly followerState: () => ErasureFollowerState | null;
  private closed = false;

  constructor(options: SharedPersonKeyStoreOptions) {
    super(options.masterKey, options.randomBytes);
    this.cacheSize = Math.max(1, options.cacheSize ?? DEFAULT_CACHE_SIZE);
    this.directory = options.directory;
    this.onClose = options.onClose;
    this.followerState = options.followerState ?? (() => null);
    // The first replica records its check value; every later one (or restart) must match it.
    const [check] = this.directory.claim([
      { name: MASTER_CHECK_NAME, wrapped: masterCheckValue(this.master, this.random(IV_BYTES)) },
    ]);
    if (check === undefined || check === 'erased' || !masterCheckMatches(this.master, check)) {
      this.directory.close();
      throw new MasterKeyMismatchError();
    }
  }

  /** Every key is on the shared store before the call that made it returns. */
  whenDurable(): Promise<void> {
    return Promise.resolve();
  }

  ensureKeys(pseudonyms: readonly string[]): void {
    this.assertOpen();
    pseudonyms.forEach(assertPseudonym);
    const missing = [...new Set(pseudonyms)].filter((p) => !this.cache.has(p));
    if (missing.length > 0) this.claim(missing);
  }

  erase(pseudonym: string): boolean {
    this.assertOpen();
    assertPseudonym(pseudonym);
    const erased = this.directory.destroy(pseudonym);
    this.remember(pseudonym, 'erased');
    return erased;
  }

  isErased(pseudonym: string): boolean {
    this.assertOpen();
    assertPseudonym(pseudonym);
    return this.lookup(pseudonym) === 'erased';
  }

  /**
   * The keys of these persons not held here yet, fetched in one round trip: a page of the feed is
   * then projected without a wait per person (a new replica's first replay). Keys a person does not
   * have yet stay unfetched: opening then asks again, as without the prefetch.
   */
  prefetch(pseudonyms: readonly string[]): void {
    this.assertOpen();
    if (!this.directory.fetchMany) return;
    const missing = [...new Set(pseudonyms)].filter((p) => !this.cache.has(p));
    if (missing.length === 0) return;
    missing.forEach(assertPseudonym);
    this.directory.fetchMany(missing).forEach((key, i) => {
      if (key !== null) this.remember(missing[i]!, key);
    });
  }

  erasureFollower(): ErasureFollowerState | null {
    return this.followerState();
  }

  get roundTrips(): number | undefined {
    return this.directory.roundTrips;
  }

  /** The person was erased elsewhere (another replica): the key held here goes at once. */
  forget(pseudonym: string): void {
    if (!this.closed) this.remember(pseudonym, 'erased');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cache.clear();
    this.directory.close();
    this.onClose?.();
  }

  protected wrappedKeyOf(pseudonym: string): SharedKey | null {
    return this.lookup(pseudonym);
  }

  protected dataKeyFor(pseudonym: string): Buffer {
    const key = this.lookup(pseudonym) ?? this.claim([pseudonym])[0];
    if (key === undefined || key === 'erased') throw new PersonErasedError(pseudonym);
    return unwrapDataKey(this.master, pseudonym, key);
  }

  /** Offers a new key for each person; another replica's key wins a race, so both seal with one. */
  private claim(pseudonyms: readonly string[]): SharedKey[] {
    const entries = pseudonyms.map((name) => {
      const dataKey = this.random(DATA_KEY_BYTES);
      try {
        return { name, wrapped: wrapDataKey(this.master, name, dataKey, this.random(IV_BYTES)) };
      } finally {
        dataKey.fill(0);
      }
    });
    const held = this.directory.claim(entries);
    held.forEach((key, i) => this.remember(pseudonyms[i]!, key));
    return held;
  }

  private lookup(pseudonym: string): SharedKey | null {
    const cached = this.cache.get(pseudonym);
    if (cached !== undefined) return cached;
    const fetched = this.directory.fetch(pseudonym);
    if (fetched !== null) this.remember(pseudonym, fetched);
    return fetched;
  }

  private remember(pseudonym: string, key: SharedKey): void {
    this.cache.delete(pseudonym);
    this.cache.set(pseudonym, key);
    // Oldest first (insertion order): bounded memory; a forgotten key is fetched again when needed.
    while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
  }

  protected assertOpen(): void {
    if (this.closed) throw new Error('person key store is closed');
  }
}
