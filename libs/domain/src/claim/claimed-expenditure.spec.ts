import { conflict, deciderSpec } from '@ihl/testing';
import type { ActivityActor } from '../activity/activity.state';
import type { DatingContext } from '../activity/activity-validation';
import {
  decideExpenditure,
  evolveExpenditure,
  initialExpenditureState,
  type ExpenditureCommand,
} from '../expenditure/expenditure.decider';
import type { ExpenditureEvent } from '../expenditure/expenditure.events';

const ctx: DatingContext = {
  projectStart: '2022-12-08',
  projectEnd: '2026-12-31',
  partnerJoinedOn: '2023-01-02',
  reportingPeriod: 'quarterly',
  lockedPeriods: new Set(),
  today: '2024-07-10',
};
const partner: ActivityActor = { role: 'partner-submitter', partnerId: 'visaginas-spc' };
const finance: ActivityActor = { role: 'finance-officer' };
const ref = { expenditureId: 'e1', partnerId: 'visaginas-spc' };
const fields = {
  categoryId: 'equipment',
  amountCents: 1000,
  occurredOn: '2024-05-02',
  documentRef: 'SF-1',
  description: 'Slings',
};
const history: ExpenditureEvent[] = [
  { type: 'ExpenditureDeclared', data: { ...ref, projectCode: 'P', fields } },
  { type: 'ExpenditureVerified', data: { ...ref, eligibleCents: 900, ineligibleCents: 100 } },
  { type: 'ExpenditureClaimed', data: { ...ref, claimId: 'c1', eligibleCents: 900 } },
];
const { given } = deciderSpec({
  decide: (state, command: ExpenditureCommand, actor: ActivityActor) =>
    decideExpenditure(state, command, actor, ctx, { categories: ['equipment'], envelopeCents: 10_000_000 }),
  evolve: evolveExpenditure,
  initialState: initialExpenditureState,
});

describe('a claimed expenditure', () => {
  it('given a claimed cost, when verified again, corrected or voided, then 409 claimed', () => {
    given(history)
      .when({ type: 'VerifyExpenditure', eligibleCents: 1000, ineligibleCents: 0 }, finance)
      .thenThrows(conflict('claimed'));
    given(history)
      .when({ type: 'CorrectExpenditure', fields: { ...fields, amountCents: 999 }, reason: 'credit note' }, partner)
      .thenThrows(conflict('claimed'));
    given(history).when({ type: 'VoidExpenditure', reason: 'declared twice' }, partner).thenThrows(conflict('claimed'));
  });
  it('given the claim withdrawn (its line released), when verified again, then ExpenditureVerified', () => {
    const released: ExpenditureEvent = { type: 'ExpenditureClaimReleased', data: { ...ref, claimId: 'c1' } };
    given([...history, released])
      .when({ type: 'VerifyExpenditure', eligibleCents: 1000, ineligibleCents: 0 }, finance)
      .then([{ type: 'ExpenditureVerified', data: { ...ref, eligibleCents: 1000, ineligibleCents: 0 } }]);
  });
});
