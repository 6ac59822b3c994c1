import { conflict, deciderSpec, forbidden, invalid } from '@ihl/testing';
import type { ActivityActor } from '../activity/activity.state';
import { DomainNotFoundError } from '../shared/validation';
import {
  decideAdvance,
  evolveAdvances,
  foldAdvances,
  initialAdvancesState,
  type AdvanceCommand,
  type AdvanceContext,
} from './advance.decider';
import type { AdvanceEvent } from './advance.events';

const finance: ActivityActor = { role: 'finance-officer' };
const ctx: AdvanceContext = {
  projectStart: '2022-12-08',
  projectEnd: '2026-12-31',
  reportingPeriod: 'quarterly',
  esfPlusBp: 8500,
  nationalBp: 1500,
  today: '2024-07-10',
  partnerIds: ['visaginas-spc'],
};
const record = (over: Partial<Extract<AdvanceCommand, { type: 'RecordAdvance' }>> = {}): AdvanceCommand => ({
  type: 'RecordAdvance',
  advanceId: 'adv-1',
  partnerId: null,
  amountCents: 50_000,
  paidOn: '2024-01-15',
  ...over,
});
const paid: AdvanceEvent = {
  type: 'AdvancePaid',
  data: { advanceId: 'adv-1', partnerId: null, amountCents: 50_000, paidOn: '2024-01-15' },
};
const clear = (amountCents: number, claimReimbursedCents: bigint | null = 70_000n): AdvanceCommand => ({
  type: 'ClearAdvance',
  advanceId: 'adv-1',
  claimId: 'c1',
  amountCents,
  clearedOn: '2024-07-10',
  claimReimbursedCents,
});
const cleared = (amountCents: number): AdvanceEvent => ({
  type: 'AdvanceCleared',
  data: { advanceId: 'adv-1', claimId: 'c1', amountCents, clearedOn: '2024-07-10' },
});

const { given } = deciderSpec({
  decide: (state, command: AdvanceCommand, actor: ActivityActor = finance) => decideAdvance(state, command, actor, ctx),
  evolve: evolveAdvances,
  initialState: initialAdvancesState,
});

describe('advances decider', () => {
  it('given none, when finance records an advance, then AdvancePaid; the same again changes nothing, another body conflicts', () => {
    given([]).when(record()).then([paid]);
    given([paid]).when(record()).then([]);
    given([paid])
      .when(record({ amountCents: 1 }))
      .thenThrows(conflict('advance-exists'));
  });
  it('refuses an unknown partner, a zero amount, a future date and anyone but finance', () => {
    given([])
      .when(record({ partnerId: 'nowhere' }))
      .thenThrows(invalid('partnerId', 'registered-partner'));
    given([])
      .when(record({ amountCents: 0 }))
      .thenThrows(invalid('amount', 'money'));
    given([])
      .when(record({ paidOn: '2024-07-11' }))
      .thenThrows(invalid('paidOn', 'not-in-future'));
    given([]).when(record(), { role: 'agency-auditor' }).thenThrows(forbidden('finance-only'));
  });
  it('given an advance of 500.00, when 300.00 is cleared against a claim reimbursed 700.00, then AdvanceCleared', () => {
    given([paid])
      .when(clear(30_000))
      .then([cleared(30_000)]);
  });
  it("never clears more than is left of the advance, nor more than the claim's reimbursement not yet cleared", () => {
    given([paid, cleared(30_000)])
      .when(clear(20_001))
      .thenThrows(invalid('amount', 'within-advance'));
    given([paid]).when(clear(30_001, 30_000n)).thenThrows(invalid('amount', 'within-reimbursement'));
    const other: AdvanceEvent = {
      type: 'AdvancePaid',
      data: { advanceId: 'adv-2', partnerId: null, amountCents: 90_000, paidOn: '2024-01-15' },
    };
    const fromOther: AdvanceEvent = {
      type: 'AdvanceCleared',
      data: { advanceId: 'adv-2', claimId: 'c1', amountCents: 60_000, clearedOn: '2024-07-10' },
    };
    given([paid, other, fromOther]).when(clear(10_001)).thenThrows(invalid('amount', 'within-reimbursement'));
    expect(foldAdvances([paid, other, fromOther]).clearedByClaim.get('c1')).toBe(60_000);
  });
  it('refuses an unknown advance or claim', () => {
    given([]).when(clear(1)).thenThrows(DomainNotFoundError);
    given([paid]).when(clear(1, null)).thenThrows(invalid('claimId', 'existing-claim'));
  });
});
