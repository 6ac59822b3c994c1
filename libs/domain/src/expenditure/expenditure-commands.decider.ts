import type { DatingContext } from '../activity/activity-validation';
import type { ActivityActor } from '../activity/activity.state';
import { canonicalJson } from '../shared/canonical-json';
import { formatMoney, isCents, type Cents } from '../shared/money';
import { lateEntryOf } from '../period/late-entry';
import { openRecord } from '../shared/record-creation';
import {
  assertNotVoided,
  assertReportUnlocked,
  optionalNote,
  requireOwnRecord,
  requireRole,
} from '../shared/record-guards';
import { DomainValidationError, requireReason } from '../shared/validation';
import { assertNotClaimed } from '../claim/claimed-expenditure';
import { checkIneligibleReason, validateExpenditureFields, type ExpenditureBudget } from './expenditure-validation';
import type { ExpenditureEvent } from './expenditure.events';
import {
  existingExpenditure,
  expenditureRef,
  linkedTotal,
  type ExistingExpenditure,
  type ExpenditureCommandOf,
  type ExpenditureState,
} from './expenditure.state';

// One function per expenditure command: the partner declares, corrects and voids; finance verifies.

export function decideDeclareExpenditure(
  state: ExpenditureState,
  command: ExpenditureCommandOf<'DeclareExpenditure'>,
  actor: ActivityActor,
  ctx: DatingContext,
  budget: ExpenditureBudget,
): ExpenditureEvent[] {
  const opened = openRecord({
    noun: 'expenditure',
    ownPartnerMessage: 'a partner declares expenditure only in its own name',
    id: command.expenditureId,
    actor,
    partnerId: command.partnerId,
    existing: existingExpenditure(state),
    fields: command.fields,
  });
  if (opened === 'retry') return [];
  validateExpenditureFields(command.fields, budget, ctx);
  // Dated in a locked period: a late entry, reported in the next open one (docs/finance.md).
  const late = lateEntryOf(command.fields.occurredOn, ctx);
  return [
    {
      type: 'ExpenditureDeclared',
      data: {
        expenditureId: command.expenditureId,
        projectCode: command.projectCode,
        partnerId: command.partnerId,
        fields: command.fields,
        ...late,
      },
    },
  ];
}

export function decideCorrectExpenditure(
  state: ExpenditureState,
  command: ExpenditureCommandOf<'CorrectExpenditure'>,
  actor: ActivityActor,
  ctx: DatingContext,
  budget: ExpenditureBudget,
): ExpenditureEvent[] {
  const expenditure = requireOwnRecord(existingExpenditure(state), actor, 'expenditure');
  requireRole(actor, 'partner-submitter', 'only the declaring partner corrects an expenditure');
  assertNotVoided(expenditure, 'a voided expenditure cannot be corrected');
  assertNotClaimed(expenditure);
  const reason = requireReason(command.reason);
  if (canonicalJson(command.fields) === canonicalJson(expenditure.fields)) return [];
  validateExpenditureFields(command.fields, budget, ctx);
  assertCoversLinkedEquipment(expenditure, command.fields.amountCents);
  // Unlike an activity, expenditure has no restatement: a locked period refuses the change.
  const record = { reportedIn: expenditure.reportedIn, occurredOn: expenditure.fields.occurredOn };
  assertReportUnlocked(ctx, record, command.fields.occurredOn);
  const data = { ...expenditureRef(expenditure), fields: command.fields, previous: expenditure.fields, reason };
  return [{ type: 'ExpenditureCorrected', data }];
}

/** The equipment linked to an expenditure never totals more than it (docs/finance.md). */
function assertCoversLinkedEquipment(expenditure: ExistingExpenditure, amountCents: number): void {
  const linked = linkedTotal(expenditure);
  if (amountCents >= linked) return;
  throw new DomainValidationError([
    {
      field: 'amount',
      rule: 'covers-linked-equipment',
      message: `must cover the ${formatMoney(linked)} of equipment linked to this expenditure`,
      value: formatMoney(amountCents),
    },
  ]);
}

export function decideVoidExpenditure(
  state: ExpenditureState,
  command: ExpenditureCommandOf<'VoidExpenditure'>,
  actor: ActivityActor,
  ctx: DatingContext,
): ExpenditureEvent[] {
  const expenditure = requireOwnRecord(existingExpenditure(state), actor, 'expenditure');
  requireRole(actor, 'partner-submitter', 'only the declaring partner voids an expenditure');
  const reason = requireReason(command.reason);
  if (expenditure.status === 'voided') return [];
  assertNotClaimed(expenditure);
  assertReportUnlocked(ctx, { reportedIn: expenditure.reportedIn, occurredOn: expenditure.fields.occurredOn });
  return [{ type: 'ExpenditureVoided', data: { ...expenditureRef(expenditure), reason } }];
}

/** Verified never exceeds declared: the two parts account for the declared amount exactly. */
function assertPartsOfDeclared(eligible: Cents, ineligible: Cents, declared: Cents): void {
  const bad = [...(isCents(eligible) ? [] : ['eligible']), ...(isCents(ineligible) ? [] : ['ineligible'])];
  if (bad.length)
    throw new DomainValidationError(
      bad.map((field) => ({ field, rule: 'money', message: 'must be a non-negative amount' })),
    );
  if (eligible + ineligible !== declared) {
    throw new DomainValidationError([
      {
        field: 'eligible',
        rule: 'parts-sum-to-declared',
        message: `eligible (${formatMoney(eligible)}) + ineligible (${formatMoney(ineligible)}) must equal the declared ${formatMoney(declared)}`,
      },
    ]);
  }
}

export function decideVerifyExpenditure(
  state: ExpenditureState,
  command: ExpenditureCommandOf<'VerifyExpenditure'>,
  actor: ActivityActor,
): ExpenditureEvent[] {
  const expenditure = requireOwnRecord(existingExpenditure(state), actor, 'expenditure');
  requireRole(actor, 'finance-officer', 'only finance staff verify expenditure');
  assertNotVoided(expenditure, 'a voided expenditure is not verified');
  const { eligibleCents: e, ineligibleCents: i } = command;
  assertPartsOfDeclared(e, i, expenditure.fields.amountCents);
  const reason = checkIneligibleReason(command.ineligibleReason, i, command.note);
  const v = expenditure.verification;
  if (v && v.eligibleCents === e && v.ineligibleCents === i && v.ineligibleReason === reason.ineligibleReason)
    return [];
  assertNotClaimed(expenditure);
  const data = {
    ...expenditureRef(expenditure),
    eligibleCents: e,
    ineligibleCents: i,
    ...optionalNote(command.note),
    ...reason,
  };
  return [{ type: 'ExpenditureVerified', data }];
}
