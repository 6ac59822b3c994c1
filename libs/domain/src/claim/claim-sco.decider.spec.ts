import { conflict, deciderSpec } from '@ihl/testing';
import type { ActivityActor } from '../activity/activity.state';
import {
  claimSummary,
  decideClaim,
  evolveClaim,
  expenditureClaims,
  expenditureReleases,
  initialClaimState,
  type ClaimCandidate,
  type ClaimCommand,
  type ClaimContext,
  type ClaimScoCandidate,
  type ExistingClaim,
} from './claim.decider';
import { scoLineId, type ClaimEvent, type ClaimLine } from './claim.events';

const finance: ActivityActor = { role: 'finance-officer' };
const ctx: ClaimContext = {
  projectStart: '2022-12-08',
  projectEnd: '2026-12-31',
  reportingPeriod: 'quarterly',
  esfPlusBp: 8500,
  nationalBp: 1500,
  today: '2024-07-10',
};
const staffCost: ClaimCandidate = {
  expenditureId: 'e1',
  partnerId: 'visaginas-spc',
  categoryId: 'staff',
  occurredOn: '2024-05-02',
  reportedIn: '2024-Q2',
  voided: false,
  eligibleCents: 133_334,
  claimedBy: null,
};
// 142 verified minutes of home care at 24.65 an hour: 58.34; 15 % of 1,333.34: 200.00.
const homeCare: ClaimScoCandidate = {
  scoId: 'home-care-hour',
  type: 'unit-cost',
  partnerId: 'visaginas-spc',
  categoryId: 'services',
  records: 2,
  uptoCents: 5_834,
};
const indirect: ClaimScoCandidate = {
  scoId: 'indirect-15',
  type: 'flat-rate',
  partnerId: 'visaginas-spc',
  categoryId: 'indirect',
  records: 1,
  uptoCents: 20_000,
};
const compose = (over: Partial<Extract<ClaimCommand, { type: 'ComposeClaim' }>> = {}): ClaimCommand => ({
  type: 'ComposeClaim',
  claimId: 'c1',
  projectCode: 'P',
  period: '2024-Q2',
  candidates: [staffCost],
  scoCandidates: [homeCare, indirect],
  ...over,
});
const costLine: ClaimLine = {
  expenditureId: 'e1',
  partnerId: 'visaginas-spc',
  categoryId: 'staff',
  occurredOn: '2024-05-02',
  eligibleCents: 133_334,
};
const scoLine = (s: ClaimScoCandidate, earlierCents: number): ClaimLine => ({
  expenditureId: scoLineId(s.scoId, s.partnerId),
  partnerId: s.partnerId,
  categoryId: s.categoryId,
  occurredOn: '2024-06-30',
  eligibleCents: s.uptoCents - earlierCents,
  sco: { scoId: s.scoId, type: s.type, records: s.records, uptoCents: s.uptoCents, earlierCents },
});
const composedWith = (lines: ClaimLine[]): ClaimEvent => ({
  type: 'ClaimComposed',
  data: {
    claimId: 'c1',
    projectCode: 'P',
    period: '2024-Q2',
    composedOn: '2024-07-10',
    lines,
    esfPlusBp: 8500,
    nationalBp: 1500,
  },
});

const { given } = deciderSpec({
  decide: (state, command: ClaimCommand) => decideClaim(state, command, finance, ctx),
  evolve: evolveClaim,
  initialState: initialClaimState,
});

describe('payment claim decider: simplified cost options', () => {
  it('given SCO amounts up to 2024-Q2 and none claimed, when finance composes, then each is a line beside the real costs, dated the period end', () => {
    const [e] = given([])
      .when(compose())
      .then([composedWith([costLine, scoLine(homeCare, 0), scoLine(indirect, 0)])]);
    // Only the real cost is marked on an expenditure stream; totals reconcile to the cent.
    expect(expenditureClaims(e!).map((c) => c.data.expenditureId)).toEqual(['e1']);
    const claim = evolveClaim(initialClaimState, e!) as ExistingClaim;
    expect(claimSummary(claim).totalCents).toBe(133_334n + 5_834n + 20_000n);
    expect(claimSummary(claim).byPartner['visaginas-spc']!.totalCents).toBe(159_168n);
    expect(expenditureReleases(claim).map((r) => r.data.expenditureId)).toEqual(['e1']);
  });

  it('given an earlier claim carried 36.98 of home care, when the amount up to now is 58.34, then the line claims 21.36', () => {
    given([])
      .when(
        compose({
          candidates: [],
          scoCandidates: [homeCare],
          scoClaimed: { [scoLineId('home-care-hour', 'visaginas-spc')]: 3_698 },
        }),
      )
      .then([composedWith([scoLine(homeCare, 3_698)])]);
  });

  it('given every SCO amount already claimed (or fallen below what was claimed) and no cost, then there is nothing to claim', () => {
    const claimed = {
      [scoLineId('home-care-hour', 'visaginas-spc')]: 5_834,
      [scoLineId('indirect-15', 'visaginas-spc')]: 25_000,
    };
    given([])
      .when(compose({ candidates: [], scoClaimed: claimed }))
      .thenThrows(conflict('nothing-to-claim'));
  });

  it('when finance names the costs to claim, then no SCO line is added', () => {
    given([])
      .when(compose({ expenditureIds: ['e1'] }))
      .then([composedWith([costLine])]);
  });
});
