import type { Cents } from '../shared/money';
import type { IsoDate } from '../shared/iso-date';
import type { PeriodId } from '../period/reporting-period';

/** One stream per payment claim, named by its project so that claim ids need not be unique across projects. */
export const claimStreamId = (projectCode: string, claimId: string): string => `claim-${projectCode}-${claimId}`;

/** Why the managing authority cut or rejected a claimed cost (a code list, the note says the rest). */
export const CLAIM_CUT_REASONS = [
  'ineligible-cost',
  'insufficient-evidence',
  'outside-eligibility-period',
  'double-funding',
  'procurement-breach',
  'calculation-error',
  'other',
] as const;
export type ClaimCutReason = (typeof CLAIM_CUT_REASONS)[number];

export const SCO_LINE_TYPES = ['unit-cost', 'flat-rate', 'lump-sum'] as const;
export type ScoLineType = (typeof SCO_LINE_TYPES)[number];

/**
 * What a simplified cost option line of a claim stands on: the option's amount for the partner
 * computed up to the claim's period (`uptoCents`) and what earlier live claims carried of it
 * (`earlierCents`); the line claims the difference, so no part of the amount is claimed twice.
 */
export interface ClaimScoBasis {
  readonly scoId: string;
  readonly type: ScoLineType;
  /** How many verified records (or accepted deliverables) the amount up to the period counts. */
  readonly records: number;
  readonly uptoCents: Cents;
  readonly earlierCents: Cents;
}

/**
 * A verified cost carried by a claim, with the eligible amount finance verified; or, with `sco`, a
 * simplified cost option's amount for one partner, its key in `expenditureId` being
 * `scoLineId(scoId, partnerId)` (decisions and reimbursements name lines by that key).
 */
export interface ClaimLine {
  readonly expenditureId: string;
  readonly partnerId: string;
  readonly categoryId: string;
  readonly occurredOn: IsoDate;
  readonly eligibleCents: Cents;
  readonly sco?: ClaimScoBasis;
}

/** The key of an SCO line (never an expenditure id: those are UUIDs). */
export const scoLineId = (scoId: string, partnerId: string): string => `sco:${scoId}:${partnerId}`;

export const CLAIM_LINE_OUTCOMES = ['accepted', 'cut', 'rejected'] as const;
export type ClaimLineOutcome = (typeof CLAIM_LINE_OUTCOMES)[number];

/** The managing authority's verdict on one line: accepted + cut is the line's eligible amount. */
export interface ClaimLineDecision {
  readonly expenditureId: string;
  readonly outcome: ClaimLineOutcome;
  readonly acceptedCents: Cents;
  readonly cutCents: Cents;
  readonly reasonCode?: ClaimCutReason;
  readonly note?: string;
}

export interface ClaimComposed {
  readonly type: 'ClaimComposed';
  readonly data: {
    readonly claimId: string;
    readonly projectCode: string;
    readonly period: PeriodId;
    readonly composedOn: IsoDate;
    readonly lines: readonly ClaimLine[];
    /** The project's co-financing rates when composed: the claim reproduces its shares by itself. */
    readonly esfPlusBp: number;
    readonly nationalBp: number;
  };
}
export interface ClaimWithdrawn {
  readonly type: 'ClaimWithdrawn';
  readonly data: { readonly claimId: string; readonly reason: string };
}
export interface ClaimSubmitted {
  readonly type: 'ClaimSubmitted';
  readonly data: { readonly claimId: string; readonly submittedOn: IsoDate };
}
export interface ClaimDecisionRecorded {
  readonly type: 'ClaimDecisionRecorded';
  readonly data: {
    readonly claimId: string;
    readonly decidedOn: IsoDate;
    readonly lines: readonly ClaimLineDecision[];
  };
}
/** A payment of the managing authority, split over the lines by what is still unpaid of each. */
export interface ClaimReimbursed {
  readonly type: 'ClaimReimbursed';
  readonly data: {
    readonly claimId: string;
    readonly amountCents: Cents;
    readonly paidOn: IsoDate;
    readonly byLine: readonly { readonly expenditureId: string; readonly cents: Cents }[];
  };
}

export type ClaimEvent = ClaimComposed | ClaimWithdrawn | ClaimSubmitted | ClaimDecisionRecorded | ClaimReimbursed;

/** On a claimed expenditure's own stream: the cost is in this claim, so no other claim takes it. */
export interface ExpenditureClaimed {
  readonly type: 'ExpenditureClaimed';
  readonly data: {
    readonly expenditureId: string;
    readonly partnerId: string;
    readonly claimId: string;
    readonly eligibleCents: Cents;
  };
}
/** The claim was withdrawn before submission: the cost may be claimed again. */
export interface ExpenditureClaimReleased {
  readonly type: 'ExpenditureClaimReleased';
  readonly data: { readonly expenditureId: string; readonly partnerId: string; readonly claimId: string };
}

/** The project's claims in the order composed: what the list reads (then each claim's own stream). */
export const claimIndexStreamId = (projectCode: string): string => `claims-${projectCode}`;

export interface ClaimOpened {
  readonly type: 'ClaimOpened';
  readonly data: { readonly claimId: string; readonly period: PeriodId };
}
