import type { ActivityFields } from './activity-kinds';
import type { ActivityEvent } from './activity.events';
import type { DatingContext } from './activity-validation';

export type Review = 'pending' | 'verified' | 'rejected';

export type ActivityState =
  | { readonly status: 'none' }
  | {
      readonly status: 'recorded' | 'voided';
      readonly activityId: string;
      readonly projectCode: string;
      readonly partnerId: string;
      readonly fields: ActivityFields;
      readonly review: Review;
      readonly pendingRestatement: { readonly fields: ActivityFields; readonly reason: string } | null;
      readonly corrections: number;
      /** A late entry's reported period (absent when reported in its own). */
      readonly reportedIn?: string;
      /** The expenditure an equipment record is linked to (its marker event), if any. */
      readonly linkedExpenditureId?: string;
    };

/** An activity that exists (recorded or voided): what every command but RecordActivity acts on. */
export type ExistingActivity = Exclude<ActivityState, { readonly status: 'none' }>;

export const initialActivityState: ActivityState = { status: 'none' };

/** Who asks: partners act only on their own records; the agency reviews. */
export interface ActivityActor {
  readonly role: 'partner-submitter' | 'agency-auditor' | 'finance-officer' | 'admin';
  readonly partnerId?: string;
}

export type ActivityCommand =
  | {
      readonly type: 'RecordActivity';
      readonly activityId: string;
      readonly projectCode: string;
      readonly partnerId: string;
      readonly fields: ActivityFields;
      readonly recipientAgeYears?: number;
    }
  | {
      readonly type: 'CorrectActivity';
      readonly fields: ActivityFields;
      readonly reason: string;
      readonly recipientAgeYears?: number;
    }
  | { readonly type: 'VoidActivity'; readonly reason: string }
  | { readonly type: 'VerifyActivity'; readonly note?: string }
  | { readonly type: 'RejectActivity'; readonly reason: string }
  | { readonly type: 'ApproveRestatement'; readonly note?: string }
  | { readonly type: 'DeclineRestatement'; readonly reason: string };

/** The command of one type, as its decide function receives it. */
export type ActivityCommandOf<T extends ActivityCommand['type']> = Extract<ActivityCommand, { readonly type: T }>;

/**
 * A partner's command decided: the events it makes of the record's state, none for a retry, or a
 * refusal thrown. `ctx` dates it against the project (the agency's review needs none).
 */
export type ActivityDecision<T extends ActivityCommand['type']> = (
  state: ActivityState,
  command: ActivityCommandOf<T>,
  actor: ActivityActor,
  ctx: DatingContext,
) => ActivityEvent[];

export const existingActivity = (state: ActivityState): ExistingActivity | null =>
  state.status === 'none' ? null : state;

/** The ids every event about an existing activity carries. */
export const activityRef = (a: ExistingActivity) => ({ activityId: a.activityId, partnerId: a.partnerId });

export function evolveActivity(state: ActivityState, event: ActivityEvent): ActivityState {
  switch (event.type) {
    case 'ServiceDelivered':
    case 'CaregiverConsultationHeld':
    case 'PsychologicalSupportProvided':
    case 'TrainingHeld':
    case 'EquipmentProcured':
    case 'InformalHelpEventHeld':
      return {
        status: 'recorded',
        activityId: event.data.activityId,
        projectCode: event.data.projectCode,
        partnerId: event.data.partnerId,
        fields: event.data.fields,
        review: 'pending',
        pendingRestatement: null,
        corrections: 0,
        ...(event.data.reportedIn ? { reportedIn: event.data.reportedIn } : {}),
      };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'ActivityCorrected':
      // New values need a new review.
      return {
        ...state,
        fields: event.data.fields,
        review: 'pending',
        pendingRestatement: null,
        corrections: state.corrections + 1,
      };
    case 'ActivityVoided':
      return { ...state, status: 'voided', pendingRestatement: null };
    case 'ActivityVerified':
      return { ...state, review: 'verified' };
    case 'ActivityRejected':
      return { ...state, review: 'rejected' };
    case 'ActivityRestatementProposed':
      return { ...state, pendingRestatement: { fields: event.data.fields, reason: event.data.reason } };
    case 'ActivityRestatementApproved':
      return state; // the ActivityCorrected that follows carries the change
    case 'ActivityRestatementDeclined':
      return { ...state, pendingRestatement: null };
    case 'EquipmentLinkedToExpenditure':
      return { ...state, linkedExpenditureId: event.data.expenditureId };
  }
}

export function foldActivity(events: readonly ActivityEvent[]): ActivityState {
  return events.reduce(evolveActivity, initialActivityState);
}
