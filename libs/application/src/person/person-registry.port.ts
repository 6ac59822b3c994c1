import type { IsoDate, PersonProfile } from '@ihl/domain';

export interface IdentifiedPerson {
  readonly pseudonym: string;
  readonly keyVersion: number;
  /** From the personal code when its scheme encodes it; used for age rules, never stored. */
  readonly birthDate: IsoDate | null;
}

/**
 * Turns personal codes into pseudonyms and seals profiles. Implementations never store or log a
 * personal code; an invalid code is a DomainValidationError naming `recipient.personalCode`.
 */
export interface PersonRegistry {
  identify(personalCode: string): IdentifiedPerson;
  seal(pseudonym: string, profile: PersonProfile): string;
  /** Null when the person's key was erased. */
  open(pseudonym: string, sealed: string): PersonProfile | null;
  /** Destroys the person's key (crypto-shredding); false when it was already gone. */
  erase(pseudonym: string): boolean;
  /**
   * Resolves once every person key used so far (by seal, or by a request's fingerprint) is on disk.
   * Keys are created without an fsync each; the writer awaits this before appending what needs them.
   * Absent: keys are durable as soon as they exist.
   */
  keysDurable?(): Promise<void>;
}

export const PERSON_REGISTRY = Symbol('PERSON_REGISTRY');
