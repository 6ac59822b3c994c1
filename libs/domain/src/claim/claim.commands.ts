import type { ReportingPeriodKind } from '../project/project-definition';
import type { PeriodId } from '../period/reporting-period';
import type { IsoDate } from '../shared/iso-date';
import type { Cents } from '../shared/money';
import type { ClaimCutReason, ClaimLineOutcome, ScoLineType } from './claim.events';

/** What a claim decision needs beyond the claim's own stream: the project's terms and today. */
export interface ClaimContext {
  readonly projectStart: IsoDate;
  readonly projectEnd: IsoDate;
  readonly reportingPeriod: ReportingPeriodKind;
  readonly esfPlusBp: number;
  readonly nationalBp: number;
  /** Today in Europe/Vilnius: claim dates are never in the future. */
  readonly today: IsoDate;
}

/** An expenditure as its own stream has it when a claim is composed (the application reads each). */
export interface ClaimCandidate {
  readonly expenditureId: string;
  readonly partnerId: string;
  readonly categoryId: string;
  readonly occurredOn: IsoDate;
  /** The period the cost is reported in (its document date's until late entries say otherwise). */
  readonly reportedIn: PeriodId;
  readonly voided: boolean;
  /** Null until finance verified it. */
  readonly eligibleCents: Cents | null;
  /** The claim that carries it, if any. */
  readonly claimedBy: string | null;
}

/** A simplified cost option's amount for one partner up to the claim's period, as computed when composing. */
export interface ClaimScoCandidate {
  readonly scoId: string;
  readonly type: ScoLineType;
  readonly partnerId: string;
  readonly categoryId: string;
  readonly records: number;
  readonly uptoCents: Cents;
}

export interface LineDecisionInput {
  readonly expenditureId: string;
  readonly outcome: ClaimLineOutcome;
  /** For a cut: the amount cut (the rest is accepted). */
  readonly cutCents?: Cents;
  readonly reasonCode?: ClaimCutReason;
  readonly note?: string;
}

/** The decision on the claim as a whole; a cut in total is spread over the lines by their amounts. */
export interface TotalDecisionInput {
  readonly outcome: ClaimLineOutcome;
  readonly cutCents?: Cents;
  readonly reasonCode?: ClaimCutReason;
  readonly note?: string;
}

export type ClaimCommand =
  | {
      readonly type: 'ComposeClaim';
      readonly claimId: string;
      readonly projectCode: string;
      readonly period: PeriodId;
      readonly candidates: readonly ClaimCandidate[];
      /** Only these costs (each must be claimable), and no SCO line; all claimable ones when absent. */
      readonly expenditureIds?: readonly string[];
      /** The SCO amounts up to the period, and what live claims carry of each SCO line (by line key). */
      readonly scoCandidates?: readonly ClaimScoCandidate[];
      readonly scoClaimed?: Readonly<Record<string, Cents>>;
    }
  | { readonly type: 'WithdrawClaim'; readonly reason: string }
  | { readonly type: 'SubmitClaim'; readonly submittedOn: IsoDate }
  | {
      readonly type: 'RecordClaimDecision';
      readonly decidedOn: IsoDate;
      readonly lines?: readonly LineDecisionInput[];
      readonly total?: TotalDecisionInput;
    }
  | { readonly type: 'RecordReimbursement'; readonly amountCents: Cents; readonly paidOn: IsoDate };

export type ClaimCommandOf<T extends ClaimCommand['type']> = Extract<ClaimCommand, { readonly type: T }>;
