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
  readonly data: Base & { readonly projectCode: string; readonly fields: ActivityFields };
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
export interface ActivityVoided {
  readonly type: 'ActivityVoided';
  readonly data: Base & { readonly reason: string };
}
export interface ActivityVerified {
  readonly type: 'ActivityVerified';
  readonly data: Base & { readonly note?: string };
}
export interface ActivityRejected {
  readonly type: 'ActivityRejected';
  readonly data: Base & { readonly reason: string };
}
export interface ActivityRestatementProposed {
  readonly type: 'ActivityRestatementProposed';
  readonly data: Base & { readonly fields: ActivityFields; readonly reason: string };
}
export interface ActivityRestatementApproved {
  readonly type: 'ActivityRestatementApproved';
  readonly data: Base & { readonly note?: string };
}
export interface ActivityRestatementDeclined {
  readonly type: 'ActivityRestatementDeclined';
  readonly data: Base & { readonly reason: string };
}

export type ActivityEvent =
  | ActivityRecorded
  | ActivityCorrected
  | ActivityVoided
  | ActivityVerified
  | ActivityRejected
  | ActivityRestatementProposed
  | ActivityRestatementApproved
  | ActivityRestatementDeclined;
