import type { Cents } from '../shared/money';
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
      /** The payment claim that carries the cost (absent while unclaimed). */
      readonly claimedBy?: string;
    };

/** An expenditure that exists (declared or voided): what every command but DeclareExpenditure acts on. */
export type ExistingExpenditure = Exclude<ExpenditureState, { readonly status: 'none' }>;

export const initialExpenditureState: ExpenditureState = { status: 'none' };

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

/** The command of one type, as its decide function receives it. */
export type ExpenditureCommandOf<T extends ExpenditureCommand['type']> = Extract<
  ExpenditureCommand,
  { readonly type: T }
>;

export const existingExpenditure = (state: ExpenditureState): ExistingExpenditure | null =>
  state.status === 'none' ? null : state;

/** The ids every event about an existing expenditure carries. */
export const expenditureRef = (x: ExistingExpenditure) => ({ expenditureId: x.expenditureId, partnerId: x.partnerId });

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
    case 'ExpenditureClaimed':
      return { ...state, claimedBy: e.data.claimId };
    case 'ExpenditureClaimReleased': {
      const { claimedBy: _released, ...unclaimed } = state;
      return unclaimed;
    }
  }
}

export function foldExpenditure(events: readonly ExpenditureEvent[]): ExpenditureState {
  return events.reduce(evolveExpenditure, initialExpenditureState);
}
