import type { Sql } from './statement-cache';

/** A partner's verified volume of one kind of record (optionally one service and/or setting). */
export interface ScoVolumeSums {
  readonly partnerId: string;
  readonly records: number;
  readonly minutes: number;
  readonly people: number;
  readonly peopleMinutes: number;
}

/** A partner's verified eligible real costs in some categories. */
export interface EligibleSums {
  readonly partnerId: string;
  readonly records: number;
  readonly eligibleCents: bigint;
}

/** Only the records reported by a period: late entries by their reported period, the others by their date. */
export interface ScoReportedBy {
  readonly period: string;
  /** The period's last day. */
  readonly end: string;
}

const REPORTED_BY = ' and (reported_in <= :period or (reported_in is null and occurred_on <= :end))';
const reportedArgs = (r: ScoReportedBy | undefined) => (r ? { period: r.period, end: r.end } : {});

/**
 * The verified, not voided records of one activity kind, summed per partner: what unit costs are
 * paid on. Over `records_text`, so the same query answers as of a past position (as-of-tables.ts).
 */
export function scoVolumeSums(
  db: Sql,
  projectCode: string,
  basis: { readonly kind: string; readonly service?: string | undefined; readonly setting?: string | undefined },
  reportedBy?: ScoReportedBy,
): ScoVolumeSums[] {
  const narrow = `${basis.service === undefined ? '' : ' and service = :service'}${basis.setting === undefined ? '' : ' and setting = :setting'}${reportedBy ? REPORTED_BY : ''}`;
  const rows = db
    .prepare(
      `select partner_id as partnerId, count(*) as records, coalesce(sum(minutes), 0) as minutes,
         coalesce(sum(people), 0) as people, coalesce(sum(people_minutes), 0) as peopleMinutes
       from records_text
       where project_code = :p and kind = :kind and voided = 0 and review = 1${narrow}
       group by partner_id order by partner_id`,
    )
    .all({
      p: projectCode,
      kind: basis.kind,
      ...(basis.service === undefined ? {} : { service: basis.service }),
      ...(basis.setting === undefined ? {} : { setting: basis.setting }),
      ...reportedArgs(reportedBy),
    });
  return rows as ScoVolumeSums[];
}

/**
 * The verified eligible part of the not voided expenditures of `categories`, per partner: the base of
 * a flat rate. Summed in SQLite's 64-bit integers and handed over as BigInt (exact at any size).
 */
export function eligibleSums(
  db: Sql,
  projectCode: string,
  categories: readonly string[],
  reportedBy?: ScoReportedBy,
): EligibleSums[] {
  if (categories.length === 0) return [];
  const named = Object.fromEntries(categories.map((c, i) => [`c${i}`, c]));
  const rows = db
    .prepare(
      `select partner_id as partnerId, count(*) as records, sum(eligible_cents) as eligibleCents
       from records_text
       where project_code = :p and kind = 'expenditure' and voided = 0 and eligible_cents is not null
         and category_id in (${Object.keys(named)
           .map((k) => `:${k}`)
           .join(', ')})${reportedBy ? REPORTED_BY : ''}
       group by partner_id order by partner_id`,
    )
    .safeIntegers(true)
    .all({ p: projectCode, ...named, ...reportedArgs(reportedBy) }) as {
    partnerId: string;
    records: bigint;
    eligibleCents: bigint;
  }[];
  return rows.map((r) => ({ partnerId: r.partnerId, records: Number(r.records), eligibleCents: r.eligibleCents }));
}
