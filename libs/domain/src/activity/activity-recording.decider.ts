import { canonicalJson } from '../shared/canonical-json';
import { lateEntryOf } from '../period/late-entry';
import { openRecord } from '../shared/record-creation';
import {
  assertNotVoided,
  assertReportUnlocked,
  requireOwnRecord,
  requireRole,
  touchesLockedReport,
} from '../shared/record-guards';
import { DomainConflictError, DomainValidationError, requireReason } from '../shared/validation';
import { RECORDED_EVENT_TYPE, type ActivityFields } from './activity-kinds';
import { validateActivityFields, type DatingContext } from './activity-validation';
import { activityRef, existingActivity, type ActivityDecision } from './activity.state';

// The partner's commands on its own activity records: record, correct, void.

function assertValid(fields: ActivityFields, ctx: DatingContext, age: number | undefined): void {
  validateActivityFields(fields, ctx, age).throwIfAny();
}

export const decideRecordActivity: ActivityDecision<'RecordActivity'> = (state, command, actor, ctx) => {
  const opened = openRecord({
    noun: 'activity',
    ownPartnerMessage: 'a partner records activities only in its own name',
    id: command.activityId,
    actor,
    partnerId: command.partnerId,
    existing: existingActivity(state),
    fields: command.fields,
  });
  if (opened === 'retry') return [];
  assertValid(command.fields, ctx, command.recipientAgeYears);
  // Dated in a locked period: a late entry, reported in the next open one (docs/finance.md).
  const late = lateEntryOf(command.fields.occurredOn, ctx);
  return [
    {
      type: RECORDED_EVENT_TYPE[command.fields.kind],
      data: {
        activityId: command.activityId,
        projectCode: command.projectCode,
        partnerId: command.partnerId,
        fields: command.fields,
        ...late,
      },
    },
  ];
};

/** The kind is part of what an activity is: changing it is a void and a new record. */
function assertSameKind(recorded: ActivityFields, corrected: ActivityFields): void {
  if (corrected.kind === recorded.kind) return;
  throw new DomainValidationError([
    {
      field: 'kind',
      rule: 'same-kind',
      message: `must stay ${recorded.kind}; void and record anew to change the kind`,
      value: corrected.kind,
    },
  ]);
}

export const decideCorrectActivity: ActivityDecision<'CorrectActivity'> = (state, command, actor, ctx) => {
  const activity = requireOwnRecord(existingActivity(state), actor, 'activity');
  requireRole(actor, 'partner-submitter', 'only the partner that recorded an activity corrects it');
  assertNotVoided(activity, 'a voided activity cannot be corrected');
  assertSameKind(activity.fields, command.fields);
  const reason = requireReason(command.reason);
  if (canonicalJson(command.fields) === canonicalJson(activity.fields)) return [];
  const pending = activity.pendingRestatement;
  if (pending) {
    // The same proposal again is a retry; a different one waits for the agency's decision.
    if (canonicalJson(pending.fields) === canonicalJson(command.fields) && pending.reason === reason) return [];
    throw new DomainConflictError('restatement-pending', 'a restatement of this activity awaits the agency');
  }
  assertValid(command.fields, ctx, command.recipientAgeYears);
  const base = activityRef(activity);
  // A change touching a locked report is a restatement the agency must approve.
  const record = { reportedIn: activity.reportedIn, occurredOn: activity.fields.occurredOn };
  if (touchesLockedReport(ctx, record, command.fields.occurredOn)) {
    return [{ type: 'ActivityRestatementProposed', data: { ...base, fields: command.fields, reason } }];
  }
  return [
    {
      type: 'ActivityCorrected',
      data: { ...base, fields: command.fields, previous: activity.fields, reason, restatement: false },
    },
  ];
};

export const decideVoidActivity: ActivityDecision<'VoidActivity'> = (state, command, actor, ctx) => {
  const activity = requireOwnRecord(existingActivity(state), actor, 'activity');
  requireRole(actor, 'partner-submitter', 'only the partner that recorded an activity voids it');
  const reason = requireReason(command.reason);
  if (activity.status === 'voided') return [];
  assertReportUnlocked(ctx, { reportedIn: activity.reportedIn, occurredOn: activity.fields.occurredOn });
  return [{ type: 'ActivityVoided', data: { ...activityRef(activity), reason } }];
};
