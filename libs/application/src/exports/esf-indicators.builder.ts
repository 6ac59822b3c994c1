import { byAgeBand, OTHER_AGES, UNKNOWN_AGE, type AgeBand, type IsoDate, type ProjectDefinition } from '@ihl/domain';
import type { PersonsReachedFigures } from '../progress/progress-read-model.port';
import { cumulativeTo, newBetween, reportingPeriods } from './export-calendar';

/** What the table reads of a persons-reached figure (the whole scope, or one partner's). */
export type PersonsFigures = Pick<
  PersonsReachedFigures,
  'reached' | 'bySex' | 'byDisability' | 'byAgeAtEntry' | 'newByMonth' | 'entrantsByMonth'
>;

export interface EsfIndicatorRow {
  /** ESF+ common indicator code (Annex I of Regulation (EU) 2021/1057, as coded in SFC2021), a target id of
   *  the definition for the project's own indicator, or null for a row that only completes a breakdown. */
  readonly code: string | null;
  readonly name: string;
  /** Which part of the indicator the row is (women, men, …), or null for the indicator itself. */
  readonly breakdown: string | null;
  readonly value: number;
  readonly target: number | null;
  /**
   * The same figure per partner: in the project's table each person counted for the partner of their
   * first service (the columns sum to `value`); in a partner's table, its own column is `value`.
   */
  readonly byPartner: Readonly<Record<string, number>>;
}

export interface EsfReportingPeriod {
  readonly id: string;
  readonly start: IsoDate;
  readonly end: IsoDate;
  readonly rows: readonly EsfIndicatorRow[];
}

export interface EsfIndicatorTable {
  readonly projectCode: string;
  /** The ledger position the table reflects (`?asOf=<position>` gives it again) and when it was recorded. */
  readonly position: number;
  readonly recordedAt: string;
  /** Null for the whole project; a partner's id when a partner asks (its own persons only). */
  readonly partnerId: string | null;
  readonly partners: readonly string[];
  readonly reportingPeriod: ProjectDefinition['reportingPeriod'];
  /** Participants from the start to the position. */
  readonly rows: readonly EsfIndicatorRow[];
  /** Participants who entered (had their first service) in each period; the project indicator also cumulative. */
  readonly periods: readonly EsfReportingPeriod[];
  readonly notes: readonly string[];
}

export interface EsfIndicatorInput {
  readonly definition: ProjectDefinition;
  readonly position: number;
  readonly recordedAt: string;
  /** The day that counts as today: the day asked for with `?asOf=<day>`, else the day `recordedAt` falls on. */
  readonly day: IsoDate;
  readonly partnerId: string | null;
  /** Partner ids shown, in order (a partner: its own only). */
  readonly partners: readonly string[];
  readonly total: PersonsFigures;
  /** Per partner with at least one person (the project's: its share; a partner's: its own); missing ones count zero. */
  readonly perPartner: Readonly<Record<string, PersonsFigures>>;
}

/** ESF+ age indicators by the band's bounds, so a definition's band ids do not matter. */
const ESF_AGE_INDICATORS: readonly { code: string; name: string; minAge: number; maxAge: number | null }[] = [
  { code: 'EECO06', name: 'Children below 18 years of age', minAge: 0, maxAge: 17 },
  { code: 'EECO07', name: 'Young people between 18 and 29 years of age', minAge: 18, maxAge: 29 },
  { code: 'EECO08', name: 'Participants 55 years of age and above', minAge: 55, maxAge: null },
];

const PARTICIPANTS = { code: 'EECO01', name: 'Total number of participants' };
const DISABLED = { code: 'EECO12', name: 'Participants with disabilities' };

const PROJECT_PARTICIPANTS =
  'Participants are the unique persons reached: a person counts once, when their first service was delivered, for the partner of that service.';
/** A partner's table: what it recorded itself only. */
const PARTNER_PARTICIPANTS =
  'Participants are the unique persons this partner served itself: a person counts once, when the partner first served them, with the gender, age and disability the partner sent itself (a person other partners served too counts in their tables as well).';
const NOTES = [
  'Codes follow Annex I of Regulation (EU) 2021/1057 as numbered in SFC2021; rows with code null complete a breakdown so that it sums to the total.',
  'Age is the age in completed years on the day of the first service, from the birth date in the personal code (from the birth year sent when the code carries none). Persons whose profile was erased count as unknown.',
  'Per reporting period: participants who entered in the period (total, by gender, age band and disability), by partner, and the project indicator cumulative to the end of the period.',
];

/** The ESF+ common indicators this ledger can compute, for the whole project and per reporting period. */
export function buildEsfIndicatorTable(input: EsfIndicatorInput): EsfIndicatorTable {
  const { definition: d, total } = input;
  const perPartner = (pick: (f: PersonsFigures) => number): Record<string, number> =>
    Object.fromEntries(input.partners.map((p) => [p, input.perPartner[p] ? pick(input.perPartner[p]) : 0]));
  const row = (
    code: string | null,
    name: string,
    breakdown: string | null,
    pick: (f: PersonsFigures) => number,
    target: number | null = null,
  ): EsfIndicatorRow => ({ code, name, breakdown, value: pick(total), target, byPartner: perPartner(pick) });

  const ageOf = (f: Profiles, id: string) => byAgeBand(f.byAgeAtEntry, d.ageBands)[id] ?? 0;
  const personsTargets = d.targets.filter((t) => t.indicator === 'unique-persons-reached');
  // Gender, age band and disability of the persons a scope picks (all so far, or one period's entrants).
  const profileRows = (scope: (f: PersonsFigures) => Profiles): EsfIndicatorRow[] => [
    row(PARTICIPANTS.code, PARTICIPANTS.name, 'women', (f) => scope(f).bySex.female),
    row(PARTICIPANTS.code, PARTICIPANTS.name, 'men', (f) => scope(f).bySex.male),
    row(PARTICIPANTS.code, PARTICIPANTS.name, 'non-binary', (f) => scope(f).bySex['non-binary']),
    row(PARTICIPANTS.code, PARTICIPANTS.name, 'gender unknown', (f) => scope(f).bySex.unknown),
    ...d.ageBands.map((band) => {
      const esf = esfAgeIndicator(band);
      return row(esf?.code ?? null, esf?.name ?? `Participants aged ${band.label}`, null, (f) =>
        ageOf(scope(f), band.id),
      );
    }),
    row(null, 'Participants in no age band of the definition', null, (f) => ageOf(scope(f), OTHER_AGES)),
    row(null, 'Participants of unknown age', null, (f) => ageOf(scope(f), UNKNOWN_AGE)),
    row(DISABLED.code, DISABLED.name, null, (f) => scope(f).byDisability.yes),
    row(null, 'Participants without a disability', null, (f) => scope(f).byDisability.no),
    row(null, 'Participants whose disability is unknown', null, (f) => scope(f).byDisability.unknown),
  ];
  const rows: EsfIndicatorRow[] = [
    row(PARTICIPANTS.code, PARTICIPANTS.name, null, (f) => f.reached),
    ...profileRows((f) => f),
    ...personsTargets.map((t) => row(t.id, t.title, null, (f) => f.reached, t.value)),
  ];

  const periods = periodsShown(input).map((p): EsfReportingPeriod => {
    const entered = (f: PersonsFigures) => newBetween(f.newByMonth, p.start, p.end);
    const toDate = (f: PersonsFigures) => cumulativeTo(f.newByMonth, p.end);
    return {
      ...p,
      rows: [
        row(PARTICIPANTS.code, PARTICIPANTS.name, 'entered in period', entered),
        ...personsTargets.flatMap((t) => [
          row(t.id, t.title, 'entered in period', entered),
          row(t.id, t.title, 'cumulative', toDate, p.start <= t.deadline && t.deadline <= p.end ? t.value : null),
        ]),
        ...profileRows((f) => entrantsBetween(f, p.start, p.end)),
      ],
    };
  });
  return {
    projectCode: d.code,
    position: input.position,
    recordedAt: input.recordedAt,
    partnerId: input.partnerId,
    partners: input.partners,
    reportingPeriod: d.reportingPeriod,
    rows,
    periods: input.day < d.period.start ? [] : periods,
    notes: [input.partnerId === null ? PROJECT_PARTICIPANTS : PARTNER_PARTICIPANTS, ...NOTES],
  };
}

type Profiles = Pick<PersonsFigures, 'bySex' | 'byDisability' | 'byAgeAtEntry'>;

/** The reporting periods up to the asked day, or to the last month someone entered if later, within the project. */
function periodsShown(input: EsfIndicatorInput): ReturnType<typeof reportingPeriods> {
  const d = input.definition;
  const reachedUpTo = Object.keys(input.total.newByMonth).sort().pop();
  const lastDay = reachedUpTo && `${reachedUpTo}-01` > input.day ? `${reachedUpTo}-01` : input.day;
  return reportingPeriods(d.period.start, lastDay < d.period.end ? lastDay : d.period.end, d.reportingPeriod, d.period);
}

/** The profiles of the persons whose first service fell in the whole months of `start..end`. */
function entrantsBetween(f: PersonsFigures, start: IsoDate, end: IsoDate): Profiles {
  const [from, to] = [start.slice(0, 7), end.slice(0, 7)];
  const sum = (into: Record<string, number>, add: Readonly<Record<string, number>>) => {
    for (const [k, n] of Object.entries(add)) into[k] = (into[k] ?? 0) + n;
  };
  const out = {
    bySex: { female: 0, male: 0, 'non-binary': 0, unknown: 0 },
    byDisability: { yes: 0, no: 0, unknown: 0 },
    byAgeAtEntry: {} as Record<string, number>,
  };
  for (const [month, e] of Object.entries(f.entrantsByMonth)) {
    if (month < from || month > to) continue;
    sum(out.bySex, e.bySex);
    sum(out.byDisability, e.byDisability);
    sum(out.byAgeAtEntry, e.byAgeAtEntry);
  }
  return out;
}

function esfAgeIndicator(band: AgeBand) {
  return ESF_AGE_INDICATORS.find((e) => e.minAge === band.minAge && e.maxAge === band.maxAge);
}
