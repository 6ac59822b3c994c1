import type { ActivityEvent } from '../activity/activity.events';
import { formatMoney } from '../shared/money';
import { DomainValidationError } from '../shared/validation';
import type { ExpenditureEvent } from './expenditure.events';
import { expenditureRef, linkedTotal, type ExpenditureState } from './expenditure.state';

/**
 * What a change of a linked equipment record (its decided events) does to the expenditure it is
 * linked to, decided in the same commit: a corrected total is re-linked, refused when the linked
 * totals would exceed the expenditure's amount (a proposed restatement is checked alike); a void
 * releases the link. A record no longer in
 * the expenditure's links (released), or an expenditure that is voided, asks nothing.
 */
export function decideLinkedEquipmentChange(
  expenditure: ExpenditureState,
  activityId: string,
  decided: readonly ActivityEvent[],
): ExpenditureEvent[] {
  if (expenditure.status !== 'declared') return [];
  const previousCents = expenditure.linkedEquipment?.[activityId];
  if (previousCents === undefined) return [];
  const ref = { ...expenditureRef(expenditure), activityId };
  const out: ExpenditureEvent[] = [];
  for (const e of decided) {
    if (e.type === 'ActivityVoided')
      return [{ type: 'ExpenditureEquipmentUnlinked', data: { ...ref, reason: e.data.reason } }];
    // A restatement proposed in a locked period is checked now, and again when it is approved.
    if (e.type !== 'ActivityCorrected' && e.type !== 'ActivityRestatementProposed') continue;
    if (e.data.fields.kind !== 'equipment-procured') continue;
    const totalCents = e.data.fields.totalCents;
    if (totalCents === previousCents) continue;
    const linked = linkedTotal(expenditure) - previousCents + totalCents;
    if (linked > expenditure.fields.amountCents) {
      throw new DomainValidationError([
        {
          field: 'total',
          rule: 'within-linked-expenditure',
          message: `linked to expenditure ${expenditure.expenditureId}: its linked equipment would total ${formatMoney(linked)}, more than its ${formatMoney(expenditure.fields.amountCents)}`,
          value: totalCents,
        },
      ]);
    }
    if (e.type === 'ActivityCorrected')
      out.push({ type: 'ExpenditureEquipmentRelinked', data: { ...ref, totalCents, previousCents } });
  }
  return out;
}
