import type { PeriodId } from '../../period/reporting-period';
import type { ReportingPeriodKind } from '../../project/project-definition';
import type { PartnerProgress } from '../../progress/partner-trajectory';
import type { IsoDate } from '../../shared/iso-date';
import type { CentsSum } from '../../shared/money';
import type { Finding } from '../alert.decider';

/** How long something may wait before a check finds it (configured per deployment). */
export interface CheckThresholds {
  /** A record submitted longer ago than this, not verified or rejected, is overdue. */
  readonly verificationDays: number;
  /** A reporting period ended longer ago than this and not locked is overdue. */
  readonly periodLockDays: number;
  /** A partner silent for longer than this (since it joined) is flagged. */
  readonly silentPartnerDays: number;
  /** A certificate this many days or fewer before its last valid day is expiring (60 unless set). */
  readonly certificateExpiryDays?: number;
}

/** A record waiting for its review, with the day the server recorded it (Vilnius). */
export interface PendingRecord {
  readonly recordId: string;
  readonly partnerId: string;
  readonly kind: string;
  readonly recordedOn: IsoDate;
}

/** Everything the checks read about one project, gathered once per run; "today" is the clock's. */
export interface CheckFacts {
  readonly today: IsoDate;
  readonly thresholds: CheckThresholds;
  readonly project: {
    readonly period: { readonly start: IsoDate; readonly end: IsoDate };
    readonly reportingPeriod: ReportingPeriodKind;
    readonly lockedPeriods: ReadonlySet<PeriodId>;
    readonly partners: readonly { readonly partnerId: string; readonly joinedOn: IsoDate }[];
  };
  /** Each partner against its part of the first unique-persons target (see partnerProgress). */
  readonly partnerProgress: readonly PartnerProgress[];
  readonly budgetLines: readonly {
    readonly partnerId: string;
    readonly categoryId: string;
    readonly allocatedCents: CentsSum;
    readonly declaredCents: CentsSum;
    readonly eligibleCents: CentsSum;
  }[];
  /** Activities and expenditures neither verified, rejected nor voided. */
  readonly pendingRecords: readonly PendingRecord[];
  /** The day (Vilnius) each partner's latest record was recorded; absent: none yet. */
  readonly lastSubmittedOn: ReadonlyMap<string, IsoDate>;
  /** Inspection findings not yet resolved (escalated ones too), with their due day. */
  readonly openFindings: readonly OpenFinding[];
  /** The partners' quality certificates (withdrawn ones too: they raise nothing). */
  readonly certificates?: readonly CertificateFact[];
}

export interface CertificateFact {
  readonly certificateId: string;
  readonly partnerId: string;
  readonly scheme: string;
  readonly validFrom: IsoDate;
  readonly validTo: IsoDate;
  readonly withdrawnOn: IsoDate | null;
}

/** How many days before its end a certificate starts to count as expiring, unless configured. */
export const DEFAULT_CERTIFICATE_EXPIRY_DAYS = 60;

export interface OpenFinding {
  readonly inspectionId: string;
  readonly findingId: string;
  readonly partnerId: string;
  readonly severity: string;
  readonly dueOn: IsoDate;
}

/** One check: a name (kebab-case, no ':'; the first part of its causes) and what it finds. */
export interface AlertCheck {
  readonly name: string;
  find(facts: CheckFacts): Finding[];
}

const DAY = 86_400_000;

/** Whole days from one calendar day to another (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
}
