import type { PeriodId } from '../period/reporting-period';
import type { Cents } from '../shared/money';
import type { IsoDate } from '../shared/iso-date';
import type { ExpenditureClaimReleased, ExpenditureClaimed } from '../claim/claim.events';
import type { IneligibilityReason, VatTreatment } from './verification-codes';

export const expenditureStreamId = (expenditureId: string): string => `expenditure-${expenditureId}`;

export interface ExpenditureFields {
  readonly categoryId: string;
  readonly amountCents: Cents;
  /** Date of the supporting document (invoice, payroll). */
  readonly occurredOn: IsoDate;
  readonly documentRef: string;
  readonly description: string;
  /** The document's own date, when it differs from the date the cost was incurred. */
  readonly documentDate?: IsoDate;
  /** Who was paid: a name, and a company or VAT code (never a person's code). */
  readonly supplier?: { readonly name: string; readonly code?: string };
  readonly vatTreatment?: VatTreatment;
}

interface Base {
  readonly expenditureId: string;
  readonly partnerId: string;
}

export interface ExpenditureDeclared {
  readonly type: 'ExpenditureDeclared';
  readonly data: Base & {
    readonly projectCode: string;
    readonly fields: ExpenditureFields;
    /** A late entry (dated in a locked period): the period whose report takes it. Absent otherwise. */
    readonly reportedIn?: PeriodId;
  };
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
  readonly data: Base & {
    readonly eligibleCents: Cents;
    readonly ineligibleCents: Cents;
    readonly note?: string;
    /** Why the ineligible amount is ineligible (only with one); absent on older verdicts. */
    readonly ineligibleReason?: IneligibilityReason;
  };
}

/** Equipment procured (an activity record) paid by this expenditure; its total at the link. v1. */
export interface ExpenditureEquipmentLinked {
  readonly type: 'ExpenditureEquipmentLinked';
  readonly data: Base & { readonly activityId: string; readonly totalCents: Cents };
}
/**
 * A linked equipment record was corrected: the link follows its new total (decided with the
 * correction, in its commit, within the expenditure's amount). v1.
 */
export interface ExpenditureEquipmentRelinked {
  readonly type: 'ExpenditureEquipmentRelinked';
  readonly data: Base & { readonly activityId: string; readonly totalCents: Cents; readonly previousCents: Cents };
}
/** A linked equipment record was voided: its link is released in the void's commit. v1. */
export interface ExpenditureEquipmentUnlinked {
  readonly type: 'ExpenditureEquipmentUnlinked';
  readonly data: Base & { readonly activityId: string; readonly reason: string };
}
export type ExpenditureEvent =
  | ExpenditureDeclared
  | ExpenditureCorrected
  | ExpenditureVoided
  | ExpenditureVerified
  | ExpenditureEquipmentLinked
  | ExpenditureEquipmentRelinked
  | ExpenditureEquipmentUnlinked
  | ExpenditureClaimed
  | ExpenditureClaimReleased;
