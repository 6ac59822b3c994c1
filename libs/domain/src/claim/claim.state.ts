import type { PeriodId } from '../period/reporting-period';
import type { IsoDate } from '../shared/iso-date';
import { largestRemainderOf } from '../shared/largest-remainder';
import { allocateByRates, sumCents, type Cents, type CentsSum } from '../shared/money';
import type { ClaimEvent, ClaimLine, ClaimLineDecision } from './claim.events';

export type ClaimStatus = 'composed' | 'withdrawn' | 'submitted' | 'decided';

export interface ExistingClaim {
  readonly status: ClaimStatus;
  readonly claimId: string;
  readonly projectCode: string;
  readonly period: PeriodId;
  readonly composedOn: IsoDate;
  readonly lines: readonly ClaimLine[];
  readonly esfPlusBp: number;
  readonly nationalBp: number;
  readonly submittedOn: IsoDate | null;
  readonly decidedOn: IsoDate | null;
  /** By expenditure id, once decided. */
  readonly decisions: Readonly<Record<string, ClaimLineDecision>> | null;
  /** Paid by the managing authority so far, by expenditure id. */
  readonly reimbursedByLine: Readonly<Record<string, Cents>>;
  readonly payments: readonly { readonly amountCents: Cents; readonly paidOn: IsoDate }[];
}

export type ClaimState = { readonly status: 'none' } | ExistingClaim;

export const initialClaimState: ClaimState = { status: 'none' };

export function evolveClaim(state: ClaimState, e: ClaimEvent): ClaimState {
  if (e.type === 'ClaimComposed') {
    const { claimId, projectCode, period, composedOn, lines, esfPlusBp, nationalBp } = e.data;
    return {
      status: 'composed',
      claimId,
      projectCode,
      period,
      composedOn,
      lines,
      esfPlusBp,
      nationalBp,
      submittedOn: null,
      decidedOn: null,
      decisions: null,
      reimbursedByLine: {},
      payments: [],
    };
  }
  if (state.status === 'none') return state;
  switch (e.type) {
    case 'ClaimWithdrawn':
      return { ...state, status: 'withdrawn' };
    case 'ClaimSubmitted':
      return { ...state, status: 'submitted', submittedOn: e.data.submittedOn };
    case 'ClaimDecisionRecorded':
      return {
        ...state,
        status: 'decided',
        decidedOn: e.data.decidedOn,
        decisions: Object.fromEntries(e.data.lines.map((d) => [d.expenditureId, d])),
      };
    case 'ClaimReimbursed': {
      const reimbursedByLine = { ...state.reimbursedByLine };
      for (const p of e.data.byLine)
        reimbursedByLine[p.expenditureId] = (reimbursedByLine[p.expenditureId] ?? 0) + p.cents;
      return {
        ...state,
        reimbursedByLine,
        payments: [...state.payments, { amountCents: e.data.amountCents, paidOn: e.data.paidOn }],
      };
    }
  }
}

export function foldClaim(events: readonly ClaimEvent[]): ClaimState {
  return events.reduce(evolveClaim, initialClaimState);
}

/** What one line stands at: claimed, accepted (null until decided), reimbursed. */
export interface ClaimLineFigures extends ClaimLine {
  readonly acceptedCents: Cents | null;
  readonly reimbursedCents: Cents;
  readonly decision: ClaimLineDecision | null;
}

export function claimLineFigures(claim: ExistingClaim): ClaimLineFigures[] {
  return claim.lines.map((l) => {
    const decision = claim.decisions?.[l.expenditureId] ?? null;
    return {
      ...l,
      acceptedCents: decision ? decision.acceptedCents : null,
      reimbursedCents: claim.reimbursedByLine[l.expenditureId] ?? 0,
      decision,
    };
  });
}

/** The claim's accepted total (0 until decided) and what is paid of it. */
export function claimTotals(claim: ExistingClaim): { claimed: CentsSum; accepted: CentsSum; reimbursed: CentsSum } {
  const lines = claimLineFigures(claim);
  return {
    claimed: sumCents(lines.map((l) => l.eligibleCents)),
    accepted: sumCents(lines.map((l) => l.acceptedCents ?? 0)),
    reimbursed: sumCents(lines.map((l) => l.reimbursedCents)),
  };
}

/** A claim's total, its partners' parts and the co-financing shares of each, all summing exactly. */
export interface ClaimSummary {
  readonly totalCents: CentsSum;
  readonly shares: { readonly esfPlusCents: CentsSum; readonly nationalCents: CentsSum };
  readonly byPartner: Readonly<
    Record<string, { readonly totalCents: CentsSum; readonly esfPlusCents: CentsSum; readonly nationalCents: CentsSum }>
  >;
}

export function claimSummary(claim: ExistingClaim): ClaimSummary {
  const partnerTotals = new Map<string, CentsSum>();
  for (const l of claim.lines)
    partnerTotals.set(l.partnerId, (partnerTotals.get(l.partnerId) ?? 0n) + BigInt(l.eligibleCents));
  const totalCents = sumCents(partnerTotals.values());
  const rates = [claim.esfPlusBp, claim.nationalBp];
  const partners = [...partnerTotals.keys()].sort();
  // The ESF+ part is spread over the partners by their totals; each partner's national part is the
  // rest of its total. A partner whose part is negative (only a deduction) cannot weigh a spread:
  // then each partner's ESF+ part is its own total's share and the claim's is their sum.
  const signed = partners.some((p) => partnerTotals.get(p)! < 0n);
  const esfParts = signed
    ? partners.map((p) => allocateByRates(partnerTotals.get(p)!, rates)[0]!)
    : largestRemainderOf(
        allocateByRates(totalCents, rates)[0]!,
        partners.map((p) => Number(partnerTotals.get(p))),
      );
  const esfPlusCents = sumCents(esfParts);
  const byPartner = Object.fromEntries(
    partners.map((p, i) => {
      const total = partnerTotals.get(p)!;
      return [p, { totalCents: total, esfPlusCents: esfParts[i]!, nationalCents: total - esfParts[i]! }];
    }),
  );
  return { totalCents, shares: { esfPlusCents, nationalCents: totalCents - esfPlusCents }, byPartner };
}
