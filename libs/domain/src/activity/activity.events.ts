import type { PeriodId } from '../period/reporting-period';
import type { ActivityFields } from './activity-kinds';

export const activityStreamId = (activityId: string): string => `activity-${activityId}`;

interface Base {
  readonly activityId: string;
  readonly partnerId: string;
}

/** One event type per kind (ServiceDelivered, TrainingHeld, ...); the kind also sits in the data. */
export interface ActivityRecorded {
  readonly type:
    | 'ServiceDelivered'
    | 'CaregiverConsultationHeld'
    | 'PsychologicalSupportProvided'
    | 'TrainingHeld'
    | 'EquipmentProcured'
    | 'InformalHelpEventHeld';
  readonly data: Base & {
    readonly projectCode: string;
    readonly fields: ActivityFields;
    /** A late entry (dated in a locked period): the period whose report takes it. Absent otherwise. */
    readonly reportedIn?: PeriodId;
  };
}
export interface ActivityCorrected {
  readonly type: 'ActivityCorrected';
  readonly data: Base & {
    readonly fields: ActivityFields;
    readonly previous: ActivityFields;
    readonly reason: string;
    readonly restatement: boolean;
  };
}
/** A review or void: the record's ids and a reason (required) or a note (optional), nothing else. */
interface WithReason<T extends string> {
  readonly type: T;
  readonly data: Base & { readonly reason: string };
}
interface WithNote<T extends string> {
  readonly type: T;
  readonly data: Base & { readonly note?: string };
}
export type ActivityVoided = WithReason<'ActivityVoided'>;
export type ActivityVerified = WithNote<'ActivityVerified'>;
export type ActivityRejected = WithReason<'ActivityRejected'>;
export interface ActivityRestatementProposed {
  readonly type: 'ActivityRestatementProposed';
  readonly data: Base & { readonly fields: ActivityFields; readonly reason: string };
}
export type ActivityRestatementApproved = WithNote<'ActivityRestatementApproved'>;
export type ActivityRestatementDeclined = WithReason<'ActivityRestatementDeclined'>;

/**
 * Marker on an equipment record's own stream: it was linked to the expenditure that paid for it
 * (written in the link's commit), so a later correction or void of it is decided with that
 * expenditure. v1.
 */
export interface EquipmentLinkedToExpenditure {
  readonly type: 'EquipmentLinkedToExpenditure';
  readonly data: Base & { readonly expenditureId: string };
}

export type ActivityEvent =
  | ActivityRecorded
  | ActivityCorrected
  | ActivityVoided
  | ActivityVerified
  | ActivityRejected
  | ActivityRestatementProposed
  | ActivityRestatementApproved
  | ActivityRestatementDeclined
  | EquipmentLinkedToExpenditure;
