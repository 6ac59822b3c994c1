import type { IsoDate } from '../shared/iso-date';
import type { Cents } from '../shared/money';

/** One stream per project holds its advances and their clearings, so every clearing sees all others. */
export const advancesStreamId = (projectCode: string): string => `advances-${projectCode}`;

/** Money the managing authority paid ahead of claims, to the project (no partner) or to one partner. */
export interface AdvancePaid {
  readonly type: 'AdvancePaid';
  readonly data: {
    readonly advanceId: string;
    readonly partnerId: string | null;
    readonly amountCents: Cents;
    readonly paidOn: IsoDate;
  };
}
/** Part of an advance settled against a claim's reimbursement. */
export interface AdvanceCleared {
  readonly type: 'AdvanceCleared';
  readonly data: {
    readonly advanceId: string;
    readonly claimId: string;
    readonly amountCents: Cents;
    readonly clearedOn: IsoDate;
  };
}

export type AdvanceEvent = AdvancePaid | AdvanceCleared;
