import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deciderSpec, forbidden, invalid } from '@ihl/testing';
import fc from 'fast-check';
import type { DatingContext } from '../activity/activity-validation';
import type { ActivityActor } from '../activity/activity.decider';
import { parseProjectDefinition } from '../project/project-definition';
import { datingContext, foldProject } from '../project/project.decider';
import { DomainValidationError } from '../shared/validation';
import {
  decideExpenditure,
  evolveExpenditure,
  foldExpenditure,
  initialExpenditureState,
  linkedTotal,
  type EquipmentFacts,
  type ExpenditureCommand,
} from './expenditure.decider';
import type { ExpenditureEvent, ExpenditureFields } from './expenditure.events';

// Issue #18 item 4: equipment procured linked to the expenditure that paid for it; the linked
// totals never exceed the expenditure.

const definition = parseProjectDefinition(
  JSON.parse(readFileSync(join(__dirname, '../../../../projects/07-003-P-0001.json'), 'utf8')),
);
const BUDGET = { categories: definition.budgetCategories.map((c) => c.id), envelopeCents: definition.envelopeCents };
const project = foldProject([{ type: 'ProjectRegistered', data: { definition } }]);
if (project.status !== 'registered') throw new Error('project not registered');
const ctx: DatingContext = datingContext(project, 'visaginas-spc', '2024-05-15');
const visaginas: ActivityActor = { role: 'partner-submitter', partnerId: 'visaginas-spc' };
const finance: ActivityActor = { role: 'finance-officer' };

const invoice: ExpenditureFields = {
  categoryId: 'equipment',
  amountCents: 100_000,
  occurredOn: '2024-03-14',
  documentRef: 'PVM-SF-2024-0117',
  description: 'Lifting aids',
};
const base = { expenditureId: 'e-0001', partnerId: 'visaginas-spc' };
const declared: ExpenditureEvent = {
  type: 'ExpenditureDeclared',
  data: { ...base, projectCode: definition.code, fields: invoice },
};
const equipment = (activityId: string, totalCents: number, extra: Partial<EquipmentFacts> = {}): EquipmentFacts => ({
  activityId,
  partnerId: 'visaginas-spc',
  kind: 'equipment-procured',
  totalCents,
  voided: false,
  ...extra,
});
const link = (eq: EquipmentFacts | null, activityId = eq?.activityId ?? 'a-x'): ExpenditureCommand => ({
  type: 'LinkEquipment',
  activityId,
  equipment: eq,
});
const linked = (activityId: string, totalCents: number): ExpenditureEvent => ({
  type: 'ExpenditureEquipmentLinked',
  data: { ...base, activityId, totalCents },
});

const { given } = deciderSpec({
  decide: (s, command: ExpenditureCommand, actor: ActivityActor = visaginas) =>
    decideExpenditure(s, command, actor, ctx, BUDGET),
  evolve: evolveExpenditure,
  initialState: initialExpenditureState,
});

describe('LinkEquipment: equipment procured linked to the expenditure that paid for it', () => {
  it('given an expenditure, when its partner links an equipment record, then ExpenditureEquipmentLinked', () => {
    given([declared])
      .when(link(equipment('a-1', 60_000)))
      .then([linked('a-1', 60_000)]);
    expect(foldExpenditure([declared, linked('a-1', 60_000)])).toMatchObject({ linkedEquipment: { 'a-1': 60_000 } });
  });
  it('given links up to the amount, accepts the exact rest and refuses one cent more', () => {
    given([declared, linked('a-1', 60_000)])
      .when(link(equipment('a-2', 40_000)))
      .then([linked('a-2', 40_000)]);
    given([declared, linked('a-1', 60_000)])
      .when(link(equipment('a-2', 40_001)))
      .thenThrows(invalid('activityId', 'linked-within-expenditure'));
  });
  it('given a link, the same link again is a retry; the same record with another total is refused', () => {
    given([declared, linked('a-1', 60_000)])
      .when(link(equipment('a-1', 60_000)))
      .then([]);
    given([declared, linked('a-1', 60_000)])
      .when(link(equipment('a-1', 50_000)))
      .thenThrows(invalid('activityId', 'linked-once'));
  });
  it.each([
    ['no such record', null],
    ["another partner's record", equipment('a-9', 1, { partnerId: 'utena-spc' })],
  ])('refuses %s alike', (_label, eq) => {
    given([declared]).when(link(eq, 'a-9')).thenThrows(invalid('activityId', 'own-equipment-record'));
  });
  it('refuses a record already linked to another expenditure (its marker says which)', () => {
    given([declared])
      .when(link(equipment('a-1', 1, { linkedTo: 'e-0002' })))
      .thenThrows(invalid('activityId', 'linked-once'));
    given([declared])
      .when(link(equipment('a-1', 1, { linkedTo: 'e-0001' })))
      .then([linked('a-1', 1)]);
  });
  it('refuses a record of another kind or a voided one', () => {
    given([declared])
      .when(link(equipment('a-3', 1, { kind: 'training-held' })))
      .thenThrows(invalid('activityId', 'equipment-procured'));
    given([declared])
      .when(link(equipment('a-3', 1, { voided: true })))
      .thenThrows(invalid('activityId', 'equipment-procured'));
  });
  it('refuses a link by finance staff', () => {
    given([declared])
      .when(link(equipment('a-1', 1)), finance)
      .thenThrows(forbidden('partner-only'));
  });
  it('given linked equipment, a correction below the linked total is refused; down to it is accepted', () => {
    const correct = (amountCents: number): ExpenditureCommand => ({
      type: 'CorrectExpenditure',
      fields: { ...invoice, amountCents },
      reason: 'credit note received',
    });
    given([declared, linked('a-1', 60_000)])
      .when(correct(59_999))
      .thenThrows(invalid('amount', 'covers-linked-equipment'));
    expect(
      given([declared, linked('a-1', 60_000)])
        .when(correct(60_000))
        .events(),
    ).toHaveLength(1);
  });
  it('property: whatever links are tried, the linked totals never exceed the expenditure', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 60_000 }), { maxLength: 12 }), (totals) => {
        let history: ExpenditureEvent[] = [declared];
        totals.forEach((total, i) => {
          try {
            history = [
              ...history,
              ...given(history)
                .when(link(equipment(`a-${i}`, total)))
                .events(),
            ];
          } catch (e) {
            expect(e).toBeInstanceOf(DomainValidationError);
          }
        });
        const state = foldExpenditure(history);
        if (state.status === 'none') throw new Error('no expenditure');
        expect(linkedTotal(state)).toBeLessThanOrEqual(state.fields.amountCents);
      }),
    );
  });
});
