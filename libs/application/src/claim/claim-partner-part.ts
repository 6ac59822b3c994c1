import { sumCents } from '@ihl/domain';
import type { ClaimView } from './claim-view';

/**
 * A partner's part of a claim: the lines of its own costs (and SCO amounts) only, its totals, and
 * its ESF+/national shares as the whole claim allots them (so its part reads the same cents as the
 * claim's own byPartner). The history and payments name the whole claim: a partner gets neither.
 * Null when the claim carries nothing of the partner's.
 */
export function partnerPartOf(view: ClaimView, partnerId: string): ClaimView | null {
  const own = view.byPartner[partnerId];
  if (!own) return null;
  const lines = view.lines.filter((l) => l.partnerId === partnerId);
  const accepted = sumCents(lines.map((l) => l.acceptedCents ?? 0));
  const reimbursed = sumCents(lines.map((l) => l.reimbursedCents));
  return {
    ...view,
    lines,
    totalCents: own.totalCents,
    shares: { esfPlusCents: own.esfPlusCents, nationalCents: own.nationalCents },
    byPartner: { [partnerId]: own },
    claimedCents: own.totalCents,
    acceptedCents: accepted,
    reimbursedCents: reimbursed,
    outstandingCents: accepted - reimbursed,
    payments: [],
    history: [],
  };
}
