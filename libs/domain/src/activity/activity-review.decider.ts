import { assertNotVoided, optionalNote, requireOwnRecord, requireRole } from '../shared/record-guards';
import { DomainConflictError, requireReason } from '../shared/validation';
import type { ActivityEvent } from './activity.events';
import {
  activityRef,
  existingActivity,
  type ActivityActor,
  type ActivityCommandOf,
  type ActivityState,
  type ExistingActivity,
} from './activity.state';

// The agency's commands on a partner's activity: verify or reject it, approve or decline a restatement.

function reviewable(state: ActivityState, actor: ActivityActor): ExistingActivity {
  const activity = requireOwnRecord(existingActivity(state), actor, 'activity');
  requireRole(actor, 'agency-auditor', 'only the agency verifies or rejects activities');
  assertNotVoided(activity, 'a voided activity is not reviewed');
  return activity;
}

export function decideVerifyActivity(
  state: ActivityState,
  command: ActivityCommandOf<'VerifyActivity'>,
  actor: ActivityActor,
): ActivityEvent[] {
  const activity = reviewable(state, actor);
  if (activity.review === 'verified') return [];
  return [{ type: 'ActivityVerified', data: { ...activityRef(activity), ...optionalNote(command.note) } }];
}

export function decideRejectActivity(
  state: ActivityState,
  command: ActivityCommandOf<'RejectActivity'>,
  actor: ActivityActor,
): ActivityEvent[] {
  const activity = reviewable(state, actor);
  const reason = requireReason(command.reason);
  if (activity.review === 'rejected') return [];
  return [{ type: 'ActivityRejected', data: { ...activityRef(activity), reason } }];
}

type Restatement = NonNullable<ExistingActivity['pendingRestatement']>;

function pendingRestatement(state: ActivityState, actor: ActivityActor): [ExistingActivity, Restatement] {
  const activity = requireOwnRecord(existingActivity(state), actor, 'activity');
  requireRole(actor, 'agency-auditor', 'only the agency decides restatements');
  const pending = activity.pendingRestatement;
  if (!pending) throw new DomainConflictError('no-restatement', 'no restatement of this activity is pending');
  return [activity, pending];
}

/** Approval applies the proposed values as a correction marked as a restatement. */
export function decideApproveRestatement(
  state: ActivityState,
  command: ActivityCommandOf<'ApproveRestatement'>,
  actor: ActivityActor,
): ActivityEvent[] {
  const [activity, pending] = pendingRestatement(state, actor);
  const base = activityRef(activity);
  return [
    { type: 'ActivityRestatementApproved', data: { ...base, ...optionalNote(command.note) } },
    {
      type: 'ActivityCorrected',
      data: { ...base, fields: pending.fields, previous: activity.fields, reason: pending.reason, restatement: true },
    },
  ];
}

export function decideDeclineRestatement(
  state: ActivityState,
  command: ActivityCommandOf<'DeclineRestatement'>,
  actor: ActivityActor,
): ActivityEvent[] {
  const [activity] = pendingRestatement(state, actor);
  return [
    { type: 'ActivityRestatementDeclined', data: { ...activityRef(activity), reason: requireReason(command.reason) } },
  ];
}
