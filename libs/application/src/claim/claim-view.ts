import {
  claimLineFigures,
  claimSummary,
  claimTotals,
  foldClaim,
  type ClaimEvent,
  type ClaimLineFigures,
  type ClaimStatus,
  type ClaimSummary,
  type CentsSum,
} from '@ihl/domain';
import type { StoredEvent } from '@ihl/event-store';
import { toDomainEvent } from '../shared/event-mapping';
import { toHistory, type HistoryEntry } from '../shared/history';

/** A claim as the API shows it, at the position of the last of its events read. */
export interface ClaimView extends ClaimSummary {
  readonly claimId: string;
  readonly period: string;
  readonly status: ClaimStatus;
  readonly composedOn: string;
  readonly submittedOn: string | null;
  readonly decidedOn: string | null;
  /** An SCO line's `scoAudit`: the query of `GET …/audit` listing the events of the records behind its amount. */
  readonly lines: readonly (ClaimLineFigures & { readonly scoAudit?: string })[];
  readonly claimedCents: CentsSum;
  readonly acceptedCents: CentsSum;
  readonly reimbursedCents: CentsSum;
  /** Accepted and not paid yet. */
  readonly outstandingCents: CentsSum;
  readonly payments: readonly { readonly amountCents: number; readonly paidOn: string }[];
  /** The audit trail: every event of the claim, who recorded it and when. */
  readonly history: readonly HistoryEntry[];
  readonly revision: number;
  readonly position: number;
}

/** The claim its stored events make, or null when there are none (yet, at an as-of point). */
export function claimView(stored: readonly StoredEvent[]): ClaimView | null {
  const state = foldClaim(stored.map((e) => toDomainEvent<ClaimEvent>(e)));
  if (state.status === 'none') return null;
  const last = stored[stored.length - 1]!;
  const { claimed, accepted, reimbursed } = claimTotals(state);
  return {
    claimId: state.claimId,
    period: state.period,
    status: state.status,
    composedOn: state.composedOn,
    submittedOn: state.submittedOn,
    decidedOn: state.decidedOn,
    lines: claimLineFigures(state).map((l) =>
      l.sco
        ? {
            ...l,
            scoAudit: `figure=sco&optionId=${encodeURIComponent(l.sco.scoId)}&partnerId=${encodeURIComponent(l.partnerId)}&reportedBy=${state.period}`,
          }
        : l,
    ),
    ...claimSummary(state),
    claimedCents: claimed,
    acceptedCents: accepted,
    reimbursedCents: reimbursed,
    outstandingCents: accepted - reimbursed,
    payments: state.payments,
    history: toHistory(stored),
    revision: last.revision,
    position: last.position,
  };
}
