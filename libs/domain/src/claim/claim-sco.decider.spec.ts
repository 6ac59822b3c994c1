import { conflict, deciderSpec, invalid } from '@ihl/testing';
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

  it('given every SCO amount already claimed and no cost, then there is nothing to claim', () => {
    const claimed = {
      [scoLineId('home-care-hour', 'visaginas-spc')]: 5_834,
      [scoLineId('indirect-15', 'visaginas-spc')]: 20_000,
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

  it('given an earlier claim carried 250.00 of indirect costs and the amount fell to 200.00 (a record voided), when finance composes, then a line of -50.00 takes it back', () => {
    const [e] = given([])
      .when(compose({ candidates: [], scoCandidates: [indirect], scoClaimed: { [INDIRECT]: 25_000 } }))
      .then([composedWith([scoLine(indirect, 25_000)])]);
    const claim = evolveClaim(initialClaimState, e!) as ExistingClaim;
    expect(claim.lines[0]!.eligibleCents).toBe(-5_000);
    // A claim of only a deduction: its shares are negative too, each partner's part its own total's.
    expect(claimSummary(claim)).toEqual({
      totalCents: -5_000n,
      shares: { esfPlusCents: -4_250n, nationalCents: -750n },
      byPartner: { 'visaginas-spc': { totalCents: -5_000n, esfPlusCents: -4_250n, nationalCents: -750n } },
    });
  });
});

// A submitted claim: 1,333.34 of staff cost, 200.00 of indirect cost and a home care deduction of -12.32.
const withDeduction: ClaimEvent[] = [
  composedWith([costLine, scoLine({ ...homeCare, uptoCents: 3_698 }, 4_930), scoLine(indirect, 0)]),
  { type: 'ClaimSubmitted', data: { claimId: 'c1', submittedOn: '2024-07-10' } },
];
const CARE = scoLineId('home-care-hour', 'visaginas-spc');
const INDIRECT = scoLineId('indirect-15', 'visaginas-spc');
const accepted = (expenditureId: string, cents: number) => ({
  expenditureId,
  outcome: 'accepted' as const,
  acceptedCents: cents,
  cutCents: 0,
});

describe('payment claim decider: a negative SCO line (a deduction)', () => {
  it('given a claim with a deduction, when the managing authority cuts the deduction, then it is refused: a deduction is accepted as it stands', () => {
    given(withDeduction)
      .when({
        type: 'RecordClaimDecision',
        decidedOn: '2024-07-10',
        lines: [{ expenditureId: CARE, outcome: 'cut', cutCents: 100, reasonCode: 'calculation-error' }],
      })
      .thenThrows(invalid('lines[0].outcome', 'deduction-accepted'));
  });

  it('given a claim with a deduction, when the managing authority cuts 100.00 of the whole claim, then the cut falls on the positive lines and the deduction stands', () => {
    // 100.00 over 1,333.34 and 200.00: 86.956... -> 86.96 and 13.043... -> 13.04.
    given(withDeduction)
      .when({
        type: 'RecordClaimDecision',
        decidedOn: '2024-07-10',
        total: { outcome: 'cut', cutCents: 10_000, reasonCode: 'other' },
      })
      .then([
        {
          type: 'ClaimDecisionRecorded',
          data: {
            claimId: 'c1',
            decidedOn: '2024-07-10',
            lines: [
              { expenditureId: 'e1', outcome: 'cut', acceptedCents: 124_638, cutCents: 8_696, reasonCode: 'other' },
              accepted(CARE, -1_232),
              { expenditureId: INDIRECT, outcome: 'cut', acceptedCents: 18_696, cutCents: 1_304, reasonCode: 'other' },
            ],
          },
        },
      ]);
  });

  it('given the claim accepted in full (net 1,521.02), when 1,000.00 is paid, then the deduction is netted first: the positive lines get 1,012.32 and the deduction is settled', () => {
    const decided: ClaimEvent = {
      type: 'ClaimDecisionRecorded',
      data: {
        claimId: 'c1',
        decidedOn: '2024-07-10',
        lines: [accepted('e1', 133_334), accepted(CARE, -1_232), accepted(INDIRECT, 20_000)],
      },
    };
    // 1,012.32 over 1,333.34 and 200.00: 880.27... -> 880.28 and 132.04... -> 132.04.
    const [paid] = given([...withDeduction, decided])
      .when({ type: 'RecordReimbursement', amountCents: 100_000, paidOn: '2024-07-10' })
      .then([
        {
          type: 'ClaimReimbursed',
          data: {
            claimId: 'c1',
            amountCents: 100_000,
            paidOn: '2024-07-10',
            byLine: [
              { expenditureId: 'e1', cents: 88_028 },
              { expenditureId: CARE, cents: -1_232 },
              { expenditureId: INDIRECT, cents: 13_204 },
            ],
          },
        },
      ]);
    const claim = [...withDeduction, decided, paid!].reduce(evolveClaim, initialClaimState) as ExistingClaim;
    // The rest, 521.02, goes to the positive lines only; more than that is refused.
    given([...withDeduction, decided, paid!])
      .when({ type: 'RecordReimbursement', amountCents: 52_103, paidOn: '2024-07-10' })
      .thenThrows(invalid('amount', 'within-accepted'));
    expect(claim.reimbursedByLine[CARE]).toBe(-1_232);
  });
});
