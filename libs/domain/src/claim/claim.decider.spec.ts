import { conflict, deciderSpec, forbidden, invalid } from '@ihl/testing';
import type { ActivityActor } from '../activity/activity.state';
import { DomainNotFoundError } from '../shared/validation';
import {
  claimSummary,
  claimTotals,
  decideClaim,
  evolveClaim,
  expenditureClaims,
  expenditureReleases,
  initialClaimState,
  type ClaimCandidate,
  type ClaimCommand,
  type ClaimContext,
  type ExistingClaim,
} from './claim.decider';
import type { ClaimEvent, ClaimLine } from './claim.events';

const finance: ActivityActor = { role: 'finance-officer' };
const agency: ActivityActor = { role: 'agency-auditor' };
const partner: ActivityActor = { role: 'partner-submitter', partnerId: 'visaginas-spc' };
const ctx: ClaimContext = {
  projectStart: '2022-12-08',
  projectEnd: '2026-12-31',
  reportingPeriod: 'quarterly',
  esfPlusBp: 8500,
  nationalBp: 1500,
  today: '2024-07-10',
};

const candidate = (id: string, over: Partial<ClaimCandidate> = {}): ClaimCandidate => ({
  expenditureId: id,
  partnerId: 'visaginas-spc',
  categoryId: 'equipment',
  occurredOn: '2024-05-02',
  reportedIn: '2024-Q2',
  voided: false,
  eligibleCents: 100_001,
  claimedBy: null,
  ...over,
});
const line = (c: ClaimCandidate): ClaimLine => ({
  expenditureId: c.expenditureId,
  partnerId: c.partnerId,
  categoryId: c.categoryId,
  occurredOn: c.occurredOn,
  eligibleCents: c.eligibleCents!,
});
const a = candidate('a', { occurredOn: '2024-04-03', eligibleCents: 100_001 });
const b = candidate('b', {
  partnerId: 'utena-spc',
  categoryId: 'staff',
  occurredOn: '2024-06-20',
  eligibleCents: 50_000,
});
const compose = (candidates: ClaimCandidate[], expenditureIds?: string[]): ClaimCommand => ({
  type: 'ComposeClaim',
  claimId: 'c1',
  projectCode: 'P',
  period: '2024-Q2',
  candidates,
  ...(expenditureIds ? { expenditureIds } : {}),
});
const composed: ClaimEvent = {
  type: 'ClaimComposed',
  data: {
    claimId: 'c1',
    projectCode: 'P',
    period: '2024-Q2',
    composedOn: '2024-07-10',
    lines: [line(a), line(b)],
    esfPlusBp: 8500,
    nationalBp: 1500,
  },
};
const submitted: ClaimEvent = { type: 'ClaimSubmitted', data: { claimId: 'c1', submittedOn: '2024-07-10' } };
const decided: ClaimEvent = {
  type: 'ClaimDecisionRecorded',
  data: {
    claimId: 'c1',
    decidedOn: '2024-07-10',
    lines: [
      {
        expenditureId: 'a',
        outcome: 'cut',
        acceptedCents: 90_001,
        cutCents: 10_000,
        reasonCode: 'insufficient-evidence',
      },
      { expenditureId: 'b', outcome: 'accepted', acceptedCents: 50_000, cutCents: 0 },
    ],
  },
};

const { given } = deciderSpec({
  decide: (state, command: ClaimCommand, actor: ActivityActor = finance, c: ClaimContext = ctx) =>
    decideClaim(state, command, actor, c),
  evolve: evolveClaim,
  initialState: initialClaimState,
});

describe('payment claim decider', () => {
  describe('ComposeClaim', () => {
    it('given no claim, when finance composes for 2024-Q2, then the verified unclaimed costs reported by then are its lines, by date', () => {
      const events = given([])
        .when(compose([b, a, candidate('late', { reportedIn: '2024-Q3' })]))
        .then([composed]);
      expect(expenditureClaims(events[0]!)).toEqual([
        {
          type: 'ExpenditureClaimed',
          data: { expenditureId: 'a', partnerId: 'visaginas-spc', claimId: 'c1', eligibleCents: 100_001 },
        },
        {
          type: 'ExpenditureClaimed',
          data: { expenditureId: 'b', partnerId: 'utena-spc', claimId: 'c1', eligibleCents: 50_000 },
        },
      ]);
    });

    it('leaves out costs that are claimed, voided, unverified or wholly ineligible', () => {
      const others = [
        candidate('claimed', { claimedBy: 'c0' }),
        candidate('voided', { voided: true }),
        candidate('pending', { eligibleCents: null }),
        candidate('nothing-eligible', { eligibleCents: 0 }),
      ];
      given([])
        .when(compose([a, b, ...others]))
        .then([composed]);
      given([]).when(compose(others)).thenThrows(conflict('nothing-to-claim'));
    });

    it('takes only the costs named, and refuses one that is not claimable, naming the field', () => {
      const [e] = given([])
        .when(compose([a, b], ['b']))
        .events();
      expect(e!.type === 'ClaimComposed' && e.data.lines).toEqual([line(b)]);
      given([])
        .when(compose([a, candidate('x', { claimedBy: 'c0' })], ['x']))
        .thenThrows(invalid('expenditureIds', 'claimable'));
    });

    it('refuses a period that is not a quarter, outside the project or not begun', () => {
      for (const [period, rule] of [
        ['2024-05', 'reporting-period'],
        ['2021-Q4', 'within-project-period'],
        ['2024-Q4', 'not-in-future'],
      ])
        given([])
          .when({ ...compose([a]), period } as ClaimCommand)
          .thenThrows(invalid('period', rule!));
    });

    it("is finance's alone, and a claim id is used once", () => {
      given([])
        .when(compose([a]), agency)
        .thenThrows(forbidden('finance-only'));
      given([])
        .when(compose([a]), partner)
        .thenThrows(forbidden('finance-only'));
      given([composed])
        .when(compose([a]))
        .thenThrows(conflict('claim-exists'));
    });
  });

  describe("the claim's totals", () => {
    it('equal the sum of its lines and of its partners, with ESF+ and national shares to the cent', () => {
      const claim = given([composed]).state() as ExistingClaim;
      // 1500.01 EUR: ESF+ 85 % = 1275.0085 -> 1275.01 (largest remainder), national 225.00
      expect(claimSummary(claim)).toEqual({
        totalCents: 150_001n,
        shares: { esfPlusCents: 127_501n, nationalCents: 22_500n },
        byPartner: {
          'utena-spc': { totalCents: 50_000n, esfPlusCents: 42_500n, nationalCents: 7_500n },
          'visaginas-spc': { totalCents: 100_001n, esfPlusCents: 85_001n, nationalCents: 15_000n },
        },
      });
    });
  });

  describe('WithdrawClaim', () => {
    it('given a composed claim, when withdrawn, then ClaimWithdrawn and its lines are released', () => {
      given([composed])
        .when({ type: 'WithdrawClaim', reason: 'wrong quarter' })
        .then([{ type: 'ClaimWithdrawn', data: { claimId: 'c1', reason: 'wrong quarter' } }]);
      expect(expenditureReleases(given([composed]).state() as ExistingClaim).map((e) => e.data.expenditureId)).toEqual([
        'a',
        'b',
      ]);
    });
    it('refuses a submitted claim; a second withdrawal changes nothing', () => {
      given([composed, submitted])
        .when({ type: 'WithdrawClaim', reason: 'wrong quarter' })
        .thenThrows(conflict('claim-submitted'));
      const withdrawn: ClaimEvent = { type: 'ClaimWithdrawn', data: { claimId: 'c1', reason: 'x' } };
      given([composed, withdrawn]).when({ type: 'WithdrawClaim', reason: 'wrong quarter' }).then([]);
    });
    it('answers an unknown claim as not found', () => {
      given([]).when({ type: 'WithdrawClaim', reason: 'wrong quarter' }).thenThrows(DomainNotFoundError);
    });
  });

  describe('SubmitClaim', () => {
    it('given a composed claim, when submitted, then ClaimSubmitted; the same again changes nothing', () => {
      given([composed]).when({ type: 'SubmitClaim', submittedOn: '2024-07-10' }).then([submitted]);
      given([composed, submitted]).when({ type: 'SubmitClaim', submittedOn: '2024-07-10' }).then([]);
    });
    it('refuses a date in the future or before composition, and a withdrawn claim', () => {
      given([composed])
        .when({ type: 'SubmitClaim', submittedOn: '2024-07-11' })
        .thenThrows(invalid('submittedOn', 'not-in-future'));
      given([composed])
        .when({ type: 'SubmitClaim', submittedOn: '2024-07-09' })
        .thenThrows(invalid('submittedOn', 'in-order'));
      const withdrawn: ClaimEvent = { type: 'ClaimWithdrawn', data: { claimId: 'c1', reason: 'x' } };
      given([composed, withdrawn])
        .when({ type: 'SubmitClaim', submittedOn: '2024-07-10' })
        .thenThrows(conflict('claim-withdrawn'));
    });
  });

  describe('RecordClaimDecision', () => {
    it('per line: a cut with a reason code, the unnamed lines accepted in full', () => {
      given([composed, submitted])
        .when({
          type: 'RecordClaimDecision',
          decidedOn: '2024-07-10',
          lines: [{ expenditureId: 'a', outcome: 'cut', cutCents: 10_000, reasonCode: 'insufficient-evidence' }],
        })
        .then([decided]);
    });
    it('in total: a cut spread over the lines by their amounts, exact to the cent', () => {
      const [e] = given([composed, submitted])
        .when({
          type: 'RecordClaimDecision',
          decidedOn: '2024-07-10',
          total: { outcome: 'cut', cutCents: 1, reasonCode: 'calculation-error' },
        })
        .events();
      expect(e!.type === 'ClaimDecisionRecorded' && e.data.lines.map((l) => [l.outcome, l.cutCents])).toEqual([
        ['cut', 1],
        ['accepted', 0],
      ]);
    });
    it('in total: rejected with a reason, every line at zero', () => {
      const [e] = given([composed, submitted])
        .when({
          type: 'RecordClaimDecision',
          decidedOn: '2024-07-10',
          total: { outcome: 'rejected', reasonCode: 'double-funding' },
        })
        .events();
      const claim = evolveClaim(given([composed, submitted]).state(), e!) as ExistingClaim;
      expect(claimTotals(claim)).toEqual({ claimed: 150_001n, accepted: 0n, reimbursed: 0n });
    });
    it('refuses a cut without a code, past its line, an unknown line, and a claim not submitted', () => {
      const on = (lines: object[]) => ({ type: 'RecordClaimDecision', decidedOn: '2024-07-10', lines }) as ClaimCommand;
      given([composed, submitted])
        .when(on([{ expenditureId: 'a', outcome: 'cut', cutCents: 5 }]))
        .thenThrows(invalid('lines[0].reasonCode', 'cut-reason'));
      given([composed, submitted])
        .when(on([{ expenditureId: 'a', outcome: 'cut', cutCents: 100_002, reasonCode: 'other' }]))
        .thenThrows(invalid('lines[0].cut', 'within-line'));
      given([composed, submitted])
        .when(on([{ expenditureId: 'zz', outcome: 'accepted' }]))
        .thenThrows(invalid('lines[0].expenditureId', 'claim-line'));
      given([composed]).when(on([])).thenThrows(conflict('claim-composed'));
    });
  });

  describe('RecordReimbursement', () => {
    const paid = (amountCents: number): ClaimCommand => ({
      type: 'RecordReimbursement',
      amountCents,
      paidOn: '2024-07-10',
    });
    // 700.00 over 900.01 and 500.00 unpaid: 45000.13... and 24999.82...; the cent left goes to the larger remainder (b).
    it('given a decided claim, when paid in part, then the payment is split over the lines by what is unpaid of each', () => {
      given([composed, submitted, decided])
        .when(paid(70_000))
        .then([
          {
            type: 'ClaimReimbursed',
            data: {
              claimId: 'c1',
              amountCents: 70_000,
              paidOn: '2024-07-10',
              byLine: [
                { expenditureId: 'a', cents: 45_000 },
                { expenditureId: 'b', cents: 25_000 },
              ],
            },
          },
        ]);
    });
    it('refuses more than the unpaid accepted amount, and a claim not decided', () => {
      given([composed, submitted, decided]).when(paid(140_002)).thenThrows(invalid('amount', 'within-accepted'));
      given([composed, submitted]).when(paid(1)).thenThrows(conflict('claim-submitted'));
    });
  });
});
