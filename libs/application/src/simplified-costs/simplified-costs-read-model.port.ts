/** A partner's verified volume of one kind of activity record (see scoVolumeSums in libs/projections). */
export interface ScoVolumeSums {
  readonly partnerId: string;
  readonly records: number;
  readonly minutes: number;
  readonly people: number;
  readonly peopleMinutes: number;
}

/** Only records reported by `period` (late entries by their reported period, others by date, up to `end`). */
export interface ScoReportedBy {
  readonly period: string;
  readonly end: string;
}

/** What simplified cost options are computed from: verified volumes and verified eligible real costs. */
export interface SimplifiedCostsReadModel {
  scoVolumeSums(
    projectCode: string,
    basis: { readonly kind: string; readonly service?: string | undefined; readonly setting?: string | undefined },
    reportedBy?: ScoReportedBy,
  ): ScoVolumeSums[];
  eligibleSums(
    projectCode: string,
    categories: readonly string[],
    reportedBy?: ScoReportedBy,
  ): { readonly partnerId: string; readonly records: number; readonly eligibleCents: bigint }[];
}
