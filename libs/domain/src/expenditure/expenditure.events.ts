import type { Cents } from '../shared/money';
import type { IsoDate } from '../shared/iso-date';
import type { ExpenditureClaimReleased, ExpenditureClaimed } from '../claim/claim.events';

export const expenditureStreamId = (expenditureId: string): string => `expenditure-${expenditureId}`;

export interface ExpenditureFields {
  readonly categoryId: string;
  readonly amountCents: Cents;
  /** Date of the supporting document (invoice, payroll). */
  readonly occurredOn: IsoDate;
  readonly documentRef: string;
  readonly description: string;
}

interface Base {
  readonly expenditureId: string;
  readonly partnerId: string;
}

export interface ExpenditureDeclared {
  readonly type: 'ExpenditureDeclared';
  readonly data: Base & { readonly projectCode: string; readonly fields: ExpenditureFields };
}
export interface ExpenditureCorrected {
  readonly type: 'ExpenditureCorrected';
  readonly data: Base & {
    readonly fields: ExpenditureFields;
    readonly previous: ExpenditureFields;
    readonly reason: string;
  };
}
export interface ExpenditureVoided {
  readonly type: 'ExpenditureVoided';
  readonly data: Base & { readonly reason: string };
}
/** Finance's verdict: eligible + ineligible is exactly the declared amount. */
export interface ExpenditureVerified {
  readonly type: 'ExpenditureVerified';
  readonly data: Base & { readonly eligibleCents: Cents; readonly ineligibleCents: Cents; readonly note?: string };
}

export type ExpenditureEvent =
  | ExpenditureDeclared
  | ExpenditureCorrected
  | ExpenditureVoided
  | ExpenditureVerified
  | ExpenditureClaimed
  | ExpenditureClaimReleased;
