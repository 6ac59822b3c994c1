/** What the progress queries read: the projections, possibly lagging behind the log. */
export interface ProgressReadModel {
  /** Position of the global feed the read models have reached. */
  readonly reached: number;
  /** Resolves once `position` is included; rejects with a not-caught-up error after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<void>;
  /**
   * The project's figures; with `partnerId`, that partner's own (the persons it served itself, at its
   * own first service, with the profile it sent: nothing another partner recorded moves them); with
   * `partnerId` and `share`, the partner's part of the project's (persons whose first service is the
   * partner's), which sum to the project's. `entrants: false` leaves `entrantsByMonth` empty (cheaper;
   * the progress view does not show it).
   */
  personsReached(
    projectCode: string,
    partnerId?: string,
    options?: { entrants?: boolean; share?: boolean },
  ): PersonsReachedFigures;
}

export interface PersonsReachedFigures {
  readonly reached: number;
  readonly byPartner: Readonly<Record<string, number>>;
  readonly byTargetGroup: Readonly<Record<string, number>>;
  readonly byService: Readonly<Record<string, number>>;
  readonly bySetting: Readonly<Record<string, number>>;
  readonly bySex: Readonly<Record<'female' | 'male' | 'non-binary' | 'unknown', number>>;
  readonly byDisability: Readonly<Record<'yes' | 'no' | 'unknown', number>>;
  /** Age in the year of the first service, or "unknown"; banded by the query, never shown raw. */
  readonly byAgeAtEntry: Readonly<Record<string, number>>;
  readonly newByMonth: Readonly<Record<string, number>>;
  readonly newByPartnerMonth: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Sex, disability and age of the persons who entered in each month (reports per period). */
  readonly entrantsByMonth: Readonly<
    Record<string, Pick<PersonsReachedFigures, 'bySex' | 'byDisability' | 'byAgeAtEntry'>>
  >;
}
