import type { Sql } from './statement-cache';
import { DISABILITY_KEYS, SEX_KEYS, type TallyTable } from './persons-reached-rows';

export { DISABILITY_KEYS, SEX_KEYS };

export interface PersonsReached {
  readonly reached: number;
  /**
   * Project-wide: each person counted for the partner of their first service, so partners sum to the
   * total. A partner's own figures: that partner only.
   */
  readonly byPartner: Readonly<Record<string, number>>;
  /** The same attribution for the other breakdowns: each sums to `reached`. */
  readonly byTargetGroup: Readonly<Record<string, number>>;
  readonly byService: Readonly<Record<string, number>>;
  readonly bySetting: Readonly<Record<string, number>>;
  readonly bySex: Readonly<Record<(typeof SEX_KEYS)[number], number>>;
  readonly byDisability: Readonly<Record<(typeof DISABILITY_KEYS)[number], number>>;
  /** Age in the calendar year of the first service (the profile holds a birth year only), or "unknown". */
  readonly byAgeAtEntry: Readonly<Record<string, number>>;
  /** Newly reached persons per month of their first service. */
  readonly newByMonth: Readonly<Record<string, number>>;
  /** The same per partner of attribution: each partner's months sum to its `byPartner` figure. */
  readonly newByPartnerMonth: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Sex, disability and age of the persons who entered in each month (for reports per period). */
  readonly entrantsByMonth: Readonly<Record<string, EntrantProfiles>>;
}

export interface EntrantProfiles {
  readonly bySex: Readonly<Record<(typeof SEX_KEYS)[number], number>>;
  readonly byDisability: Readonly<Record<(typeof DISABILITY_KEYS)[number], number>>;
  readonly byAgeAtEntry: Readonly<Record<string, number>>;
}

/**
 * Unique persons, each taken at their first non-voided service. Read from the tallies (a few hundred
 * rows), never from the persons themselves.
 *
 * - no `partnerId`: the project, each person once, at their first service of any partner and for
 *   that partner (`byPartner` sums to `reached`), with every partner's profile merged;
 * - a `partnerId`: that partner's own figures: the persons it served itself, at its own first
 *   service, with the profile it sent itself. Nothing another partner records moves them (a person
 *   another partner also served counts here too, so partners' own figures may sum to more);
 * - a `partnerId` with `share`: the partner's part of the project figure (persons whose first service
 *   is the partner's, merged profiles), for the agency's per-partner columns that sum to the project.
 *
 * `entrants` adds the per-month profiles (reports per period); the progress view does without them.
 */
export function personsReached(
  db: Sql,
  projectCode: string,
  partnerId?: string,
  options: { entrants?: boolean; share?: boolean } = {},
  tallies: TallyReader = sqlTallies(db),
): PersonsReached {
  const entrants = options.entrants ?? true;
  const table = partnerId !== undefined && !options.share ? 'reach_own_tallies' : 'reach_tallies';
  const dims = ['all', 'target-group', 'service', 'setting', 'sex', 'disability', 'age', 'month'].concat(
    entrants ? ['month-sex', 'month-disability', 'month-age'] : [],
  );
  const byDim: Record<string, Counts> = {};
  for (const c of tallies.cells(table, projectCode, partnerId ?? '*', dims)) (byDim[c.dim] ??= {})[c.key] = c.n;
  // A partner's own figure is the only partner in it.
  const newByPartnerMonth = partnerId ? { [partnerId]: byDim.month ?? {} } : tallies.partnersMonths(projectCode);
  // Each person counts in exactly one month, so a partner's months sum to its persons.
  const byPartner = Object.fromEntries(
    Object.entries(newByPartnerMonth)
      .map(([partner, months]) => [partner, Object.values(months).reduce((a, n) => a + n, 0)] as const)
      .filter(([, n]) => n > 0),
  );
  const dim = (name: string) => sorted(byDim[name] ?? {});
  return {
    reached: byDim.all?.[''] ?? 0,
    byPartner: sorted(byPartner),
    byTargetGroup: dim('target-group'),
    byService: dim('service'),
    bySetting: dim('setting'),
    bySex: withKeys(SEX_KEYS, byDim.sex ?? {}) as PersonsReached['bySex'],
    byDisability: withKeys(DISABILITY_KEYS, byDim.disability ?? {}) as PersonsReached['byDisability'],
    byAgeAtEntry: dim('age'),
    newByMonth: dim('month'),
    newByPartnerMonth: partnerId ? { [partnerId]: sorted(newByPartnerMonth[partnerId]!) } : newByPartnerMonth,
    entrantsByMonth: entrants ? entrantsOf(byDim) : {},
  };
}

export type Counts = Record<string, number>;

export interface TallyCell {
  readonly dim: string;
  readonly key: string;
  readonly n: number;
}

/**
 * Where the tallies are read: the tally tables (live, `sqlTallies`), or counted from the persons'
 * rows as of a point (persons-reached-as-of.query.ts).
 */
export interface TallyReader {
  /** The scope's cells of these dims that someone counts in (partner '*': project-wide). */
  cells(table: TallyTable, projectCode: string, partner: string, dims: readonly string[]): readonly TallyCell[];
  /** Every partner's new persons per month (project-wide attribution), partners and months in order. */
  partnersMonths(projectCode: string): Record<string, Counts>;
}

/** The tally tables: range reads of the clustered key (project, dim, partner), not a scan of every partner's cells. */
export function sqlTallies(db: Sql): TallyReader {
  return {
    cells: (table, projectCode, partner, dims) =>
      db
        .prepare(
          `select dim, key, n from ${table}
     where project_code = ? and partner_id = ? and dim in (${dims.map((d) => `'${d}'`).join(', ')}) and n != 0`,
        )
        .all(projectCode, partner) as TallyCell[],
    partnersMonths: (projectCode) => partnersMonths(db, projectCode),
  };
}

/**
 * Every partner's new persons per month, packed one row per partner ("2024-03=5,2024-04=7"),
 * partners and months in order (no sorting here): thousands of cells would cost more to hand to
 * JavaScript than to count.
 */
function partnersMonths(db: Sql, projectCode: string): Record<string, Counts> {
  const packed = db
    .prepare(
      `select partner_id, group_concat(key || '=' || n, ',' order by key) as months from reach_tallies
       where project_code = ? and dim = 'month' and partner_id != '*' and n != 0
       group by partner_id order by partner_id`,
    )
    .all(projectCode) as { partner_id: string; months: string }[];
  const months: Record<string, Counts> = {};
  for (const p of packed)
    months[p.partner_id] = Object.fromEntries(
      p.months.split(',').map((cell) => {
        const [key, n] = cell.split('=') as [string, string];
        return [key, Number(n)];
      }),
    );
  return months;
}

/** Sex, disability and age of each month's entrants, from the month-sex/-disability/-age cells. */
function entrantsOf(byDim: Record<string, Counts>): Record<string, EntrantProfiles> {
  const split = (name: string) => {
    const out: Record<string, Counts> = {};
    for (const [key, n] of Object.entries(byDim[name] ?? {})) {
      const [month, value] = key.split('|') as [string, string];
      (out[month] ??= {})[value] = n;
    }
    return out;
  };
  const [sexes, disabilities, ages] = [split('month-sex'), split('month-disability'), split('month-age')];
  const entrantsByMonth: Record<string, EntrantProfiles> = {};
  for (const month of Object.keys(sorted(byDim.month ?? {})))
    entrantsByMonth[month] = {
      bySex: withKeys(SEX_KEYS, sexes[month] ?? {}) as EntrantProfiles['bySex'],
      byDisability: withKeys(DISABILITY_KEYS, disabilities[month] ?? {}) as EntrantProfiles['byDisability'],
      byAgeAtEntry: sorted(ages[month] ?? {}),
    };
  return entrantsByMonth;
}

const withKeys = (keys: readonly string[], counts: Counts) => Object.fromEntries(keys.map((k) => [k, counts[k] ?? 0]));

/** How many persons were erased so far: as-of snapshots built before a change are stale for profiles. */
export function erasureCount(db: Sql): number {
  return (db.prepare('select count(*) as n from reach_erasures').get() as { n: number }).n;
}
function sorted<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
