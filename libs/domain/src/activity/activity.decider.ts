import { canonicalJson } from '../shared/canonical-json';
import { assertPeriodOpen, openRecord } from '../shared/record-creation';
import {
  DomainConflictError,
  DomainForbiddenError,
  DomainNotFoundError,
  DomainValidationError,
  requireReason,
} from '../shared/validation';
import { RECORDED_EVENT_TYPE, type ActivityFields } from './activity-kinds';
import { isLocked, validateActivityFields, type DatingContext } from './activity-validation';
import type { ActivityEvent } from './activity.events';

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
    };

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
  }
}

export function foldActivity(events: readonly ActivityEvent[]): ActivityState {
  return events.reduce(evolveActivity, initialActivityState);
}

function assertValid(fields: ActivityFields, ctx: DatingContext, age: number | undefined): void {
  validateActivityFields(fields, ctx, age).throwIfAny();
}

/**
 * The life of one activity record. `ctx` is the project's dating context (period, partner's join
 * date, locked periods, today) read by the handler from the project stream.
 */
export function decideActivity(
  state: ActivityState,
  command: ActivityCommand,
  actor: ActivityActor,
  ctx: DatingContext,
): ActivityEvent[] {
  if (command.type === 'RecordActivity') {
    const opened = openRecord({
      noun: 'activity',
      ownPartnerMessage: 'a partner records activities only in its own name',
      id: command.activityId,
      actor,
      partnerId: command.partnerId,
      existing: state.status === 'none' ? null : state,
      fields: command.fields,
    });
    if (opened === 'retry') return [];
    assertValid(command.fields, ctx, command.recipientAgeYears);
    assertPeriodOpen(command.fields.occurredOn, ctx);
    return [
      {
        type: RECORDED_EVENT_TYPE[command.fields.kind],
        data: {
          activityId: command.activityId,
          projectCode: command.projectCode,
          partnerId: command.partnerId,
          fields: command.fields,
        },
      },
    ];
  }

  if (state.status === 'none') throw new DomainNotFoundError('no such activity');
  if (actor.role === 'partner-submitter' && actor.partnerId !== state.partnerId)
    throw new DomainNotFoundError('no such activity');
  const base = { activityId: state.activityId, partnerId: state.partnerId };

  switch (command.type) {
    case 'CorrectActivity': {
      if (actor.role !== 'partner-submitter')
        throw new DomainForbiddenError('partner-only', 'only the partner that recorded an activity corrects it');
      if (state.status === 'voided') throw new DomainConflictError('voided', 'a voided activity cannot be corrected');
      if (command.fields.kind !== state.fields.kind) {
        throw new DomainValidationError([
          {
            field: 'kind',
            rule: 'same-kind',
            message: `must stay ${state.fields.kind}; void and record anew to change the kind`,
            value: command.fields.kind,
          },
        ]);
      }
      const reason = requireReason(command.reason);
      if (canonicalJson(command.fields) === canonicalJson(state.fields)) return [];
      if (state.pendingRestatement) {
        // The same proposal again is a retry; a different one waits for the agency's decision.
        const pending = state.pendingRestatement;
        if (canonicalJson(pending.fields) === canonicalJson(command.fields) && pending.reason === reason) return [];
        throw new DomainConflictError('restatement-pending', 'a restatement of this activity awaits the agency');
      }
      assertValid(command.fields, ctx, command.recipientAgeYears);
      // A change touching a locked period is a restatement the agency must approve.
      if (isLocked(state.fields.occurredOn, ctx) || isLocked(command.fields.occurredOn, ctx)) {
        return [{ type: 'ActivityRestatementProposed', data: { ...base, fields: command.fields, reason } }];
      }
      return [
        {
          type: 'ActivityCorrected',
          data: { ...base, fields: command.fields, previous: state.fields, reason, restatement: false },
        },
      ];
    }
    case 'VoidActivity': {
      if (actor.role !== 'partner-submitter')
        throw new DomainForbiddenError('partner-only', 'only the partner that recorded an activity voids it');
      const reason = requireReason(command.reason);
      if (state.status === 'voided') return [];
      if (isLocked(state.fields.occurredOn, ctx)) {
        throw new DomainConflictError('period-locked', 'the reporting period is locked; ask the agency to reopen it');
      }
      return [{ type: 'ActivityVoided', data: { ...base, reason } }];
    }
    case 'VerifyActivity':
    case 'RejectActivity': {
      if (actor.role !== 'agency-auditor')
        throw new DomainForbiddenError('agency-only', 'only the agency verifies or rejects activities');
      if (state.status === 'voided') throw new DomainConflictError('voided', 'a voided activity is not reviewed');
      if (command.type === 'VerifyActivity') {
        if (state.review === 'verified') return [];
        return [{ type: 'ActivityVerified', data: { ...base, ...(command.note ? { note: command.note } : {}) } }];
      }
      const reason = requireReason(command.reason);
      if (state.review === 'rejected') return [];
      return [{ type: 'ActivityRejected', data: { ...base, reason } }];
    }
    case 'ApproveRestatement':
    case 'DeclineRestatement': {
      if (actor.role !== 'agency-auditor')
        throw new DomainForbiddenError('agency-only', 'only the agency decides restatements');
      const pending = state.pendingRestatement;
      if (!pending) throw new DomainConflictError('no-restatement', 'no restatement of this activity is pending');
      if (command.type === 'DeclineRestatement') {
        return [{ type: 'ActivityRestatementDeclined', data: { ...base, reason: requireReason(command.reason) } }];
      }
      return [
        { type: 'ActivityRestatementApproved', data: { ...base, ...(command.note ? { note: command.note } : {}) } },
        {
          type: 'ActivityCorrected',
          data: { ...base, fields: pending.fields, previous: state.fields, reason: pending.reason, restatement: true },
        },
      ];
    }
  }
}
