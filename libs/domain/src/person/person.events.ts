export const personStreamId = (pseudonym: string): string => `person-${pseudonym}`;

export const SEXES = ['female', 'male', 'non-binary'] as const;
export type Sex = (typeof SEXES)[number];

/** Sensitive attributes; only ever stored sealed with the person's own key (crypto-shredding). */
export interface PersonProfile {
  readonly sex?: Sex;
  readonly birthYear?: number;
  /** From the personal code, never from the client: exact age at entry for the ESF+ age bands. */
  readonly birthDate?: string;
  readonly disability?: boolean;
}

export interface PersonProfileRecorded {
  readonly type: 'PersonProfileRecorded';
  /** `sealed` is ciphertext under the person's key; erasing that key erases the profile. */
  readonly data: {
    readonly pseudonym: string;
    readonly keyVersion: number;
    /**
     * The partner that sent it: `sealed` is that partner's own profile. Absent in events written before
     * profiles were kept per partner, which hold every partner's merged (see person-profiles.ts).
     */
    readonly partnerId?: string;
    readonly sealed: string;
  };
}

export type PersonEvent = PersonProfileRecorded | PersonErased;

/** The person's key was destroyed: their sealed profile is unreadable for good; counts stay. */
export interface PersonErased {
  readonly type: 'PersonErased';
  readonly data: { readonly pseudonym: string; readonly reason: string };
}
