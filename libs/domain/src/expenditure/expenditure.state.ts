import type { Cents } from '../shared/money';
import type { ExpenditureEvent, ExpenditureFields } from './expenditure.events';
import type { IneligibilityReason } from './verification-codes';

export type ExpenditureState =
  | { readonly status: 'none' }
  | {
      readonly status: 'declared' | 'voided';
      readonly expenditureId: string;
      readonly projectCode: string;
      readonly partnerId: string;
      readonly fields: ExpenditureFields;
      readonly verification: {
        readonly eligibleCents: Cents;
        readonly ineligibleCents: Cents;
        readonly ineligibleReason?: IneligibilityReason;
      } | null;
      /** A late entry's reported period (absent when reported in its own). */
      readonly reportedIn?: string;
      /** Equipment records this expenditure paid for, with their totals (absent until one is linked). */
      readonly linkedEquipment?: Readonly<Record<string, Cents>>;
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
      /** Checked against INELIGIBILITY_REASONS by the decider. */
      readonly ineligibleReason?: string;
    }
  | { readonly type: 'LinkEquipment'; readonly activityId: string; readonly equipment: EquipmentFacts | null };

/** What the expenditure's decision needs of an equipment record (null: no such record). */
export interface EquipmentFacts {
  readonly activityId: string;
  readonly partnerId: string;
  readonly kind: string;
  readonly totalCents: Cents;
  readonly voided: boolean;
  /** The expenditure it is already linked to (its marker event), if any. */
  readonly linkedTo?: string;
}

/** The sum of the linked equipment's totals. */
export function linkedTotal(x: { readonly linkedEquipment?: Readonly<Record<string, Cents>> }): Cents {
  return Object.values(x.linkedEquipment ?? {}).reduce((a, b) => a + b, 0);
}

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
      ...(e.data.reportedIn ? { reportedIn: e.data.reportedIn } : {}),
    };
  }
  if (state.status === 'none') return state;
  switch (e.type) {
    case 'ExpenditureCorrected':
      return { ...state, fields: e.data.fields, verification: null };
    case 'ExpenditureVoided':
      return { ...state, status: 'voided' };
    case 'ExpenditureEquipmentLinked':
    case 'ExpenditureEquipmentRelinked':
      return {
        ...state,
        linkedEquipment: { ...state.linkedEquipment, [e.data.activityId]: e.data.totalCents },
      };
    case 'ExpenditureEquipmentUnlinked': {
      const { [e.data.activityId]: _released, ...kept } = state.linkedEquipment ?? {};
      return { ...state, linkedEquipment: kept };
    }
    case 'ExpenditureVerified':
      return {
        ...state,
        verification: {
          eligibleCents: e.data.eligibleCents,
          ineligibleCents: e.data.ineligibleCents,
          ...(e.data.ineligibleReason ? { ineligibleReason: e.data.ineligibleReason } : {}),
        },
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
