import type { EquipmentLinkedToExpenditure } from '../activity/activity.events';
import type { ActivityActor } from '../activity/activity.state';
import { formatMoney } from '../shared/money';
import { assertNotVoided, requireOwnRecord, requireRole } from '../shared/record-guards';
import { DomainValidationError } from '../shared/validation';
import type { ExpenditureEvent } from './expenditure.events';
import {
  existingExpenditure,
  expenditureRef,
  linkedTotal,
  type ExpenditureCommandOf,
  type ExpenditureState,
} from './expenditure.state';

const refuse = (field: string, rule: string, message: string, value?: unknown): never => {
  throw new DomainValidationError([{ field, rule, message, ...(value === undefined ? {} : { value }) }]);
};

/**
 * The declaring partner links equipment it procured (an equipment-procured record of its own, not
 * voided) to the expenditure that paid for it. Decided on the expenditure's stream, so the linked
 * totals never exceed the expenditure's amount, whatever links race each other.
 */
export function decideLinkEquipment(
  state: ExpenditureState,
  command: ExpenditureCommandOf<'LinkEquipment'>,
  actor: ActivityActor,
): ExpenditureEvent[] {
  const expenditure = requireOwnRecord(existingExpenditure(state), actor, 'expenditure');
  requireRole(actor, 'partner-submitter', 'only the declaring partner links equipment to its expenditure');
  assertNotVoided(expenditure, 'a voided expenditure pays for no equipment');
  const eq = command.equipment;
  // Another partner's record answers as a missing one (invariant 2).
  if (!eq || eq.partnerId !== expenditure.partnerId)
    return refuse(
      'activityId',
      'own-equipment-record',
      'must be an equipment record of this partner',
      command.activityId,
    );
  if (eq.kind !== 'equipment-procured' || eq.voided)
    return refuse(
      'activityId',
      'equipment-procured',
      'must be an equipment-procured record that is not voided',
      eq.activityId,
    );
  // One record, one expenditure: its corrections are then decided with that one (see its marker).
  if (eq.linkedTo !== undefined && eq.linkedTo !== expenditure.expenditureId)
    return refuse('activityId', 'linked-once', `is already linked to expenditure ${eq.linkedTo}`, eq.activityId);
  if (expenditure.linkedEquipment?.[eq.activityId] === eq.totalCents) return [];
  if (expenditure.linkedEquipment?.[eq.activityId] !== undefined)
    return refuse('activityId', 'linked-once', 'is already linked to this expenditure', eq.activityId);
  const linked = linkedTotal(expenditure) + eq.totalCents;
  if (linked > expenditure.fields.amountCents)
    return refuse(
      'activityId',
      'linked-within-expenditure',
      `linked equipment would total ${formatMoney(linked)}, more than the expenditure's ${formatMoney(expenditure.fields.amountCents)}`,
      eq.activityId,
    );
  return [
    {
      type: 'ExpenditureEquipmentLinked',
      data: { ...expenditureRef(expenditure), activityId: eq.activityId, totalCents: eq.totalCents },
    },
  ];
}

/** The marker the link leaves on the equipment record's own stream, in the same commit. */
export function equipmentLinkMarker(linked: ExpenditureEvent): EquipmentLinkedToExpenditure | null {
  if (linked.type !== 'ExpenditureEquipmentLinked') return null;
  const { activityId, partnerId, expenditureId } = linked.data;
  return { type: 'EquipmentLinkedToExpenditure', data: { activityId, partnerId, expenditureId } };
}
