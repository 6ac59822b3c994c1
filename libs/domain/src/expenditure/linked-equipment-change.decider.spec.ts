import { deciderSpec, invalid } from '@ihl/testing';
import type { ActivityFields } from '../activity/activity-kinds';
import type { ActivityEvent } from '../activity/activity.events';
import { foldActivity } from '../activity/activity.state';
import { equipmentLinkMarker } from './equipment-link.decider';
import {
  decideLinkedEquipmentChange,
  evolveExpenditure,
  foldExpenditure,
  initialExpenditureState,
} from './expenditure.decider';
import type { ExpenditureEvent } from './expenditure.events';

// Issue #18 item 4: a later correction of a linked equipment record is decided with its
// expenditure, so the linked totals never exceed the expenditure; a void releases the link.

const base = { expenditureId: 'e-1', partnerId: 'visaginas-spc' };
const declared: ExpenditureEvent = {
  type: 'ExpenditureDeclared',
  data: {
    ...base,
    projectCode: '07-003-P-0001',
    fields: {
      categoryId: 'equipment',
      amountCents: 100_000,
      occurredOn: '2024-05-14',
      documentRef: 'SF-1',
      description: 'hoists',
    },
  },
};
const linked = (activityId: string, totalCents: number): ExpenditureEvent => ({
  type: 'ExpenditureEquipmentLinked',
  data: { ...base, activityId, totalCents },
});
const hoist = (totalCents: number): ActivityFields => ({
  kind: 'equipment-procured',
  occurredOn: '2024-05-14',
  category: 'nursing-aid',
  description: 'Patient hoist',
  quantity: 1,
  unitPriceCents: totalCents,
  totalCents,
  supplier: 'UAB Slaugos technika',
  contractRef: 'SUT-2024-17',
});
const ref = { activityId: 'a-1', partnerId: 'visaginas-spc' };
const corrected = (from: number, to: number): ActivityEvent => ({
  type: 'ActivityCorrected',
  data: { ...ref, fields: hoist(to), previous: hoist(from), reason: 'mistyped', restatement: false },
});
const voided: ActivityEvent = { type: 'ActivityVoided', data: { ...ref, reason: 'returned' } };

const { given } = deciderSpec({
  decide: (s, decided: readonly ActivityEvent[]) => decideLinkedEquipmentChange(s, 'a-1', decided),
  evolve: evolveExpenditure,
  initialState: initialExpenditureState,
});

describe('a change of a linked equipment record, decided with its expenditure', () => {
  it('given 600.00 + 300.00 linked to 1000.00, a correction of the first to 700.00 re-links it', () => {
    const history = [declared, linked('a-1', 60_000), linked('a-2', 30_000)];
    const relinked = given(history)
      .when([corrected(60_000, 70_000)])
      .then([
        {
          type: 'ExpenditureEquipmentRelinked',
          data: { ...base, activityId: 'a-1', totalCents: 70_000, previousCents: 60_000 },
        },
      ]);
    expect(foldExpenditure([...history, ...relinked])).toMatchObject({
      linkedEquipment: { 'a-1': 70_000, 'a-2': 30_000 },
    });
  });
  it('given 600.00 + 300.00 linked to 1000.00, a correction of the first to 700.01 is refused', () => {
    given([declared, linked('a-1', 60_000), linked('a-2', 30_000)])
      .when([corrected(60_000, 70_001)])
      .thenThrows(invalid('total', 'within-linked-expenditure'));
  });
  it('given 600.00 + 300.00 linked, a restatement proposing 700.01 is refused; 700.00 waits, re-linking nothing yet', () => {
    const proposed = (to: number): ActivityEvent => ({
      type: 'ActivityRestatementProposed',
      data: { ...ref, fields: hoist(to), reason: 'mistyped' },
    });
    const history = [declared, linked('a-1', 60_000), linked('a-2', 30_000)];
    given(history)
      .when([proposed(70_001)])
      .thenThrows(invalid('total', 'within-linked-expenditure'));
    given(history)
      .when([proposed(70_000)])
      .then([]);
  });
  it('given a link, a correction that keeps the total asks nothing of the expenditure', () => {
    given([declared, linked('a-1', 60_000)])
      .when([corrected(60_000, 60_000)])
      .then([]);
  });
  it('given a link, a void releases it and the rest of the expenditure is free again', () => {
    const history = [declared, linked('a-1', 60_000), linked('a-2', 30_000)];
    const released = given(history)
      .when([voided])
      .then([{ type: 'ExpenditureEquipmentUnlinked', data: { ...base, activityId: 'a-1', reason: 'returned' } }]);
    expect(foldExpenditure([...history, ...released])).toMatchObject({ linkedEquipment: { 'a-2': 30_000 } });
  });
  it('given the record is not among the links, or the expenditure is voided, nothing follows', () => {
    given([declared, linked('a-2', 30_000)])
      .when([corrected(60_000, 99_000_00)])
      .then([]);
    const expenditureVoided: ExpenditureEvent = { type: 'ExpenditureVoided', data: { ...base, reason: 'duplicate' } };
    given([declared, linked('a-1', 60_000), expenditureVoided])
      .when([corrected(60_000, 200_000)])
      .then([]);
  });
  it('the link leaves a marker the record folds into the expenditure it is linked to', () => {
    const marker = equipmentLinkMarker(linked('a-1', 60_000));
    expect(marker).toEqual({ type: 'EquipmentLinkedToExpenditure', data: { ...ref, expenditureId: 'e-1' } });
    const recorded: ActivityEvent = {
      type: 'EquipmentProcured',
      data: { ...ref, projectCode: '07-003-P-0001', fields: hoist(60_000) },
    };
    expect(foldActivity([recorded, marker!])).toMatchObject({ status: 'recorded', linkedExpenditureId: 'e-1' });
  });
});
