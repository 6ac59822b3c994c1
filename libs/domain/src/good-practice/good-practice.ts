import { TARGET_GROUPS } from '../project/project-definition';
import type { IsoDate } from '../shared/iso-date';
import { certificateStatus } from '../certification/certification.state';

/** A share in percent with one decimal (half away from zero), or null when there is nothing to divide by. */
export function percent(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return Math.round((part * 1000) / whole) / 10;
}

/** A partner's certificates summed up: the best standing any of them has (withdrawn ones count as none). */
export const GOOD_PRACTICE_CERTIFICATE = ['valid', 'expiring', 'expired', 'none'] as const;
export type CertificateStanding = (typeof GOOD_PRACTICE_CERTIFICATE)[number];

/** What one partner's row is worked out from, all as of the same point. */
export interface GoodPracticeInputs {
  readonly partnerId: string;
  readonly today: IsoDate;
  readonly expiringWithinDays: number;
  /** Planned places, or null when none were set. */
  readonly plannedPlaces: number | null;
  /** Distinct persons the partner served itself, in all and per target group. */
  readonly personsServed: number;
  readonly personsByTargetGroup: Readonly<Record<string, number>>;
  /** Service deliveries recorded by the partner, per setting. */
  readonly services: readonly { readonly setting: string; readonly count: number }[];
  /** Its surveys' counts (voided ones are left out by the caller). */
  readonly surveys: readonly {
    readonly respondentGroup: string;
    readonly answered: number;
    readonly satisfied: number;
  }[];
  readonly findings: { readonly open: number; readonly overdue: number };
  readonly certificates: readonly {
    readonly validFrom: IsoDate;
    readonly validTo: IsoDate;
    readonly withdrawnOn: IsoDate | null;
  }[];
}

export interface GoodPracticeRow {
  readonly partnerId: string;
  readonly plannedPlaces: number | null;
  readonly personsServed: number;
  /** Persons served per planned place, in percent (over 100: places were taken again as people left). */
  readonly capacityUsePercent: number | null;
  /** Per target group: persons served and their share of the partner's persons. */
  readonly targetGroups: readonly {
    readonly targetGroup: string;
    readonly persons: number;
    readonly percent: number | null;
  }[];
  readonly homeServices: number;
  readonly allServices: number;
  readonly homeSharePercent: number | null;
  /** Service users' satisfaction: satisfied or very satisfied of their answers, over their surveys. */
  readonly satisfactionPercent: number | null;
  readonly satisfactionAnswers: number;
  readonly openFindings: number;
  readonly overdueFindings: number;
  readonly certificate: CertificateStanding;
}

const RANK: Record<CertificateStanding, number> = { valid: 0, expiring: 1, expired: 2, none: 3 };

function standing(i: GoodPracticeInputs): CertificateStanding {
  let best: CertificateStanding = 'none';
  for (const c of i.certificates) {
    const s = certificateStatus(c, i.today, i.expiringWithinDays);
    const as: CertificateStanding = s === 'valid' || s === 'expiring' || s === 'expired' ? s : 'none';
    if (RANK[as] < RANK[best]) best = as;
  }
  return best;
}

/** One partner's row of the good-practice table (in the spirit of seed 002's indicators). */
export function goodPracticeRow(i: GoodPracticeInputs): GoodPracticeRow {
  const home = i.services.filter((s) => s.setting === 'home').reduce((n, s) => n + s.count, 0);
  const all = i.services.reduce((n, s) => n + s.count, 0);
  const users = i.surveys.filter((s) => s.respondentGroup === 'service-users');
  const answered = users.reduce((n, s) => n + s.answered, 0);
  const satisfied = users.reduce((n, s) => n + s.satisfied, 0);
  return {
    partnerId: i.partnerId,
    plannedPlaces: i.plannedPlaces,
    personsServed: i.personsServed,
    capacityUsePercent: i.plannedPlaces === null ? null : percent(i.personsServed, i.plannedPlaces),
    targetGroups: TARGET_GROUPS.map((targetGroup) => {
      const persons = i.personsByTargetGroup[targetGroup] ?? 0;
      return { targetGroup, persons, percent: percent(persons, i.personsServed) };
    }),
    homeServices: home,
    allServices: all,
    homeSharePercent: percent(home, all),
    satisfactionPercent: percent(satisfied, answered),
    satisfactionAnswers: answered,
    openFindings: i.findings.open,
    overdueFindings: i.findings.overdue,
    certificate: standing(i),
  };
}
