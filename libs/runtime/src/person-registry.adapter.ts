import { join } from 'node:path';
import type {
  FingerprintedRequest,
  IdentifiedPerson,
  PersonRegistry,
  RequestFingerprint,
  RequestFingerprinter as RequestFingerprinterPort,
} from '@ihl/application';
import { DomainValidationError, type PersonProfile } from '@ihl/domain';
import {
  ErasureJournal,
  InvalidPersonalCodeError,
  Pseudonymizer,
  RequestFingerprinter,
  parseKeyring,
  parseMasterKey,
  personalCodeAttributes,
  type ErasureFollowerState,
  type PersonKeys,
} from '@ihl/privacy';
import type { EventStore } from '@ihl/event-store';
import { KeyPrefetchingFeed } from './shared-person-keys/key-prefetching-feed';
import { openPersonKeys } from './shared-person-keys/person-keys.factory';

export interface PersonRegistrySettings {
  readonly dataDir: string;
  /** "1:hex,2:hex" or one hex key; HMAC keys of the pseudonyms. */
  readonly pseudonymKeyring: string;
  /** 64 hex digits; wraps the per-person keys in `DATA_DIR/person-keys.sqlite`. */
  readonly profileMasterKey: string;
  /** Where erasures are journalled for restores (LEDGER_ERASURE_JOURNAL); default `DATA_DIR/erasures.jsonl`. */
  readonly erasureJournal?: string | undefined;
  /** LEDGER_PERSON_KEYS=eventstore: the keys live on this EventStoreDB / KurrentDB, shared by every replica. */
  readonly sharedPersonKeys?: string | undefined;
}

export const erasureJournalFile = (settings: { dataDir: string; erasureJournal?: string | undefined }): string =>
  settings.erasureJournal ?? join(settings.dataDir, 'erasures.jsonl');

/**
 * Pseudonyms (HMAC) and sealed profiles (per-person keys, crypto-shredding) on the embedded key file;
 * also the keyed request fingerprints, which need both.
 */
export class PrivacyPersonRegistry implements PersonRegistry, RequestFingerprinterPort {
  private readonly pseudonymizer: Pseudonymizer;
  private readonly keys: PersonKeys;
  private readonly journal: ErasureJournal;
  readonly fingerprinter: RequestFingerprinter;

  constructor(settings: PersonRegistrySettings) {
    const keyring = parseKeyring(settings.pseudonymKeyring);
    const masterKey = parseMasterKey(settings.profileMasterKey);
    this.pseudonymizer = new Pseudonymizer(keyring);
    this.keys = openPersonKeys({ dataDir: settings.dataDir, masterKey, sharedOn: settings.sharedPersonKeys });
    this.fingerprinter = new RequestFingerprinter(keyring, this.pseudonymizer, this.keys, masterKey);
    this.journal = new ErasureJournal(erasureJournalFile(settings));
  }

  fingerprint(request: FingerprintedRequest): RequestFingerprint {
    return this.fingerprinter.fingerprint(request);
  }

  isErased(pseudonym: string): boolean {
    return this.keys.isErased(pseudonym);
  }

  identify(personalCode: string): IdentifiedPerson {
    try {
      const { pseudonym, keyVersion } = this.pseudonymizer.pseudonymize(personalCode);
      return { pseudonym, keyVersion, birthDate: personalCodeAttributes(personalCode).birthDate };
    } catch (e) {
      // The code itself never reaches a message or a log.
      if (e instanceof InvalidPersonalCodeError) {
        throw new DomainValidationError([
          { field: 'recipient.personalCode', rule: `personal-code-${e.rule}`, message: e.message },
        ]);
      }
      throw e;
    }
  }

  seal(pseudonym: string, profile: PersonProfile): string {
    return this.keys.encryptProfile(pseudonym, profile);
  }

  open(pseudonym: string, sealed: string): PersonProfile | null {
    return this.keys.decryptProfile(pseudonym, sealed) as PersonProfile | null;
  }

  /**
   * The store as read models should read it: with shared keys, each page's keys fetched together
   * before it is projected (a wait per page, not per person); with the key file, the store itself.
   */
  feedFor(store: EventStore): EventStore {
    const keys = this.keys;
    return keys.prefetch ? new KeyPrefetchingFeed(store, (pseudonyms) => keys.prefetch?.(pseudonyms)) : store;
  }

  /** Round trips to the shared key store since start (null with the key file: it has none). */
  get keyRoundTrips(): number | null {
    return this.keys.roundTrips ?? null;
  }

  /** With shared keys: how other replicas' erasures reach this one (null with the key file). */
  erasureFollower(): ErasureFollowerState | null {
    return this.keys.erasureFollower?.() ?? null;
  }

  erase(pseudonym: string): boolean {
    // Journal first: a crash between the two leaves an erasure a restore re-applies, never one it forgets.
    if (!this.keys.isErased(pseudonym)) this.journal.record(pseudonym, new Date());
    return this.keys.erase(pseudonym);
  }

  keysDurable(): Promise<void> {
    return this.keys.whenDurable();
  }

  close(): void {
    this.keys.close();
  }
}

/** For processes started without the privacy keys (e.g. `ledger init`): any use says what is missing. */
export class UnconfiguredPersonRegistry implements PersonRegistry, RequestFingerprinterPort {
  private fail(): never {
    throw new Error(
      'configuration: LEDGER_PSEUDONYM_KEY and LEDGER_PROFILE_MASTER_KEY are needed to record service recipients',
    );
  }
  identify(): IdentifiedPerson {
    return this.fail();
  }
  seal(): string {
    return this.fail();
  }
  open(): PersonProfile | null {
    return this.fail();
  }
  erase(): boolean {
    return this.fail();
  }
  fingerprint(): RequestFingerprint {
    return this.fail();
  }
}
