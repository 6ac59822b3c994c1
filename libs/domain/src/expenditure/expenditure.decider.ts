import { checkDate, isLocked, type DatingContext } from '../activity/activity-validation';
import type { ActivityActor } from '../activity/activity.decider';
import { canonicalJson } from '../shared/canonical-json';
import { assertPeriodOpen, openRecord } from '../shared/record-creation';
import { formatMoney, isCents, type Cents } from '../shared/money';
import {
  DomainConflictError,
  DomainForbiddenError,
  DomainNotFoundError,
  DomainValidationError,
  IssueCollector,
  requireReason,
} from '../shared/validation';
import type { ExpenditureEvent, ExpenditureFields } from './expenditure.events';

export type ExpenditureState =
  | { readonly status: 'none' }
  | {
      readonly status: 'declared' | 'voided';
      readonly expenditureId: string;
      readonly projectCode: string;
      readonly partnerId: string;
      readonly fields: ExpenditureFields;
      readonly verification: { readonly eligibleCents: Cents; readonly ineligibleCents: Cents } | null;
    };

export const initialExpenditureState: ExpenditureState = { status: 'none' };

/**
 * What the project allows one expenditure: a category of its budget, and an amount no larger than
 * its envelope (a cost the whole project cannot hold is a typing error, and unbounded amounts
 * would let one partner push every budget sum out of range).
 */
export interface ExpenditureBudget {
  readonly categories: readonly string[];
  readonly envelopeCents: Cents;
}

export type ExpenditureCommand =
  | {
      readonly type: 'DeclareExpenditure';
      readonly expenditureId: string;
      readonly projectCode: string;
      readonly partnerId: string;
      readonly fields: ExpenditureFields;
    }
  | { readonly type: 'CorrectExpenditure'; readonly fields: ExpenditureFields; readonly reason: string }
  | { readonly type: 'VoidExpenditure'; readonly reason: string }
  | {
      readonly type: 'VerifyExpenditure';
      readonly eligibleCents: Cents;
      readonly ineligibleCents: Cents;
      readonly note?: string;
    };

export function evolveExpenditure(state: ExpenditureState, e: ExpenditureEvent): ExpenditureState {
  if (e.type === 'ExpenditureDeclared') {
    return {
      status: 'declared',
      expenditureId: e.data.expenditureId,
      projectCode: e.data.projectCode,
      partnerId: e.data.partnerId,
      fields: e.data.fields,
      verification: null,
    };
  }
  if (state.status === 'none') return state;
  switch (e.type) {
    case 'ExpenditureCorrected':
      return { ...state, fields: e.data.fields, verification: null };
    case 'ExpenditureVoided':
      return { ...state, status: 'voided' };
    case 'ExpenditureVerified':
      return {
        ...state,
        verification: { eligibleCents: e.data.eligibleCents, ineligibleCents: e.data.ineligibleCents },
      };
  }
}

export function foldExpenditure(events: readonly ExpenditureEvent[]): ExpenditureState {
  return events.reduce(evolveExpenditure, initialExpenditureState);
}

export function validateExpenditureFields(f: ExpenditureFields, budget: ExpenditureBudget, ctx: DatingContext): void {
  const c = new IssueCollector();
  const { categories, envelopeCents } = budget;
  if (!categories.includes(f.categoryId))
    c.add('categoryId', 'budget-category', `must be one of ${categories.join(', ')}`, f.categoryId);
  if (!isCents(f.amountCents) || f.amountCents === 0)
    c.add('amount', 'money', 'must be a positive amount', f.amountCents);
  else if (f.amountCents > envelopeCents)
    c.add(
      'amount',
      'within-envelope',
      `must not exceed the project's envelope of ${formatMoney(envelopeCents)}`,
      formatMoney(f.amountCents),
    );
  checkDate(c, 'occurredOn', f.occurredOn, ctx);
  if (typeof f.documentRef !== 'string' || f.documentRef.trim() === '' || f.documentRef.length > 100) {
    c.add(
      'documentRef',
      'non-empty-string',
      'must name the supporting document in at most 100 characters',
      f.documentRef,
    );
  }
  if (typeof f.description !== 'string' || f.description.trim() === '' || f.description.length > 500) {
    c.add('description', 'non-empty-string', 'must be a non-empty string of at most 500 characters', f.description);
  }
  c.throwIfAny();
}

export function decideExpenditure(
  state: ExpenditureState,
  command: ExpenditureCommand,
  actor: ActivityActor,
  ctx: DatingContext,
  budget: ExpenditureBudget,
): ExpenditureEvent[] {
  if (command.type === 'DeclareExpenditure') {
    const opened = openRecord({
      noun: 'expenditure',
      ownPartnerMessage: 'a partner declares expenditure only in its own name',
      id: command.expenditureId,
      actor,
      partnerId: command.partnerId,
      existing: state.status === 'none' ? null : state,
      fields: command.fields,
    });
    if (opened === 'retry') return [];
    validateExpenditureFields(command.fields, budget, ctx);
    assertPeriodOpen(command.fields.occurredOn, ctx);
    return [
      {
        type: 'ExpenditureDeclared',
        data: {
          expenditureId: command.expenditureId,
          projectCode: command.projectCode,
          partnerId: command.partnerId,
          fields: command.fields,
        },
      },
    ];
  }
  if (state.status === 'none') throw new DomainNotFoundError('no such expenditure');
  if (actor.role === 'partner-submitter' && actor.partnerId !== state.partnerId)
    throw new DomainNotFoundError('no such expenditure');
  const base = { expenditureId: state.expenditureId, partnerId: state.partnerId };

  switch (command.type) {
    case 'CorrectExpenditure': {
      if (actor.role !== 'partner-submitter')
        throw new DomainForbiddenError('partner-only', 'only the declaring partner corrects an expenditure');
      if (state.status === 'voided')
        throw new DomainConflictError('voided', 'a voided expenditure cannot be corrected');
      const reason = requireReason(command.reason);
      if (canonicalJson(command.fields) === canonicalJson(state.fields)) return [];
      validateExpenditureFields(command.fields, budget, ctx);
      if (isLocked(state.fields.occurredOn, ctx) || isLocked(command.fields.occurredOn, ctx)) {
        throw new DomainConflictError('period-locked', 'the reporting period is locked; ask the agency to reopen it');
      }
      return [
        { type: 'ExpenditureCorrected', data: { ...base, fields: command.fields, previous: state.fields, reason } },
      ];
    }
    case 'VoidExpenditure': {
      if (actor.role !== 'partner-submitter')
        throw new DomainForbiddenError('partner-only', 'only the declaring partner voids an expenditure');
      const reason = requireReason(command.reason);
      if (state.status === 'voided') return [];
      if (isLocked(state.fields.occurredOn, ctx))
        throw new DomainConflictError('period-locked', 'the reporting period is locked; ask the agency to reopen it');
      return [{ type: 'ExpenditureVoided', data: { ...base, reason } }];
    }
    case 'VerifyExpenditure': {
      if (actor.role !== 'finance-officer')
        throw new DomainForbiddenError('finance-only', 'only finance staff verify expenditure');
      if (state.status === 'voided') throw new DomainConflictError('voided', 'a voided expenditure is not verified');
      const { eligibleCents: e, ineligibleCents: i } = command;
      const bad = [...(isCents(e) ? [] : ['eligible']), ...(isCents(i) ? [] : ['ineligible'])];
      if (bad.length)
        throw new DomainValidationError(
          bad.map((field) => ({ field, rule: 'money', message: 'must be a non-negative amount' })),
        );
      // Verified never exceeds declared: the two parts account for the declared amount exactly.
      if (e + i !== state.fields.amountCents) {
        throw new DomainValidationError([
          {
            field: 'eligible',
            rule: 'parts-sum-to-declared',
            message: `eligible (${formatMoney(e)}) + ineligible (${formatMoney(i)}) must equal the declared ${formatMoney(state.fields.amountCents)}`,
          },
        ]);
      }
      const v = state.verification;
      if (v && v.eligibleCents === e && v.ineligibleCents === i) return [];
      return [
        {
          type: 'ExpenditureVerified',
          data: { ...base, eligibleCents: e, ineligibleCents: i, ...(command.note ? { note: command.note } : {}) },
        },
      ];
    }
  }
}
