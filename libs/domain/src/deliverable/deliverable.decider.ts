import type { ActivityActor } from '../activity/activity.state';
import type { IsoDate } from '../shared/iso-date';
import { requireRole } from '../shared/record-guards';
import { DomainConflictError, DomainNotFoundError, DomainValidationError } from '../shared/validation';
import type { DeliverableAchieved, DeliverableEvent } from './deliverable.events';

/** Where a lump sum's deliverable stands: the last submission and its verdict. */
export interface DeliverableState {
  readonly status: 'none' | 'pending' | 'accepted' | 'rejected';
  readonly submitted: DeliverableAchieved['data'] | null;
}

export const initialDeliverableState: DeliverableState = { status: 'none', submitted: null };

export function evolveDeliverable(state: DeliverableState, e: DeliverableEvent): DeliverableState {
  if (e.type === 'DeliverableAchieved') return { status: 'pending', submitted: e.data };
  return { ...state, status: e.type === 'DeliverableAccepted' ? 'accepted' : 'rejected' };
}

export type DeliverableCommand =
  | {
      readonly type: 'RecordDeliverable';
      readonly lumpSumId: string;
      readonly achievedOn: IsoDate;
      readonly evidenceIds: readonly string[];
      readonly note: string | null;
    }
  | {
      readonly type: 'VerifyDeliverable';
      readonly lumpSumId: string;
      readonly accepted: boolean;
      readonly reason?: string;
    };

/** What a deliverable is checked against: the project's lump sums (whose partner each is) and today. */
export interface DeliverableContext {
  readonly lumpSums: readonly { readonly id: string; readonly partnerId: string }[];
  readonly projectStart: IsoDate;
  readonly today: IsoDate;
}

const issue = (field: string, rule: string, message: string, value?: unknown) =>
  new DomainValidationError([{ field, rule, message, ...(value === undefined ? {} : { value }) }]);

function decideRecord(
  state: DeliverableState,
  c: Extract<DeliverableCommand, { type: 'RecordDeliverable' }>,
  actor: ActivityActor,
  ctx: DeliverableContext,
): DeliverableEvent[] {
  requireRole(actor, 'partner-submitter', 'a partner records its own deliverables');
  const lumpSum = ctx.lumpSums.find((l) => l.id === c.lumpSumId);
  // Another partner's lump sum answers as an unknown one.
  if (!lumpSum || lumpSum.partnerId !== actor.partnerId)
    throw issue('lumpSumId', 'own-lump-sum', "must be one of the partner's lump sums in the definition", c.lumpSumId);
  if (c.achievedOn < ctx.projectStart || c.achievedOn > ctx.today)
    throw issue('achievedOn', 'within-project', 'must lie between the project start and today', c.achievedOn);
  if (c.evidenceIds.length === 0 && !c.note?.trim())
    throw issue('evidenceIds', 'evidence-or-note', 'a deliverable needs evidence references or a note');
  const data = {
    lumpSumId: c.lumpSumId,
    partnerId: lumpSum.partnerId,
    achievedOn: c.achievedOn,
    evidenceIds: c.evidenceIds,
    note: c.note,
  };
  const same = JSON.stringify(state.submitted) === JSON.stringify(data);
  if (state.status === 'pending' && same) return [];
  if (state.status === 'pending')
    throw new DomainConflictError('pending-verification', 'the deliverable awaits verification');
  if (state.status === 'accepted')
    throw new DomainConflictError('already-accepted', 'the lump sum is already paid once');
  return [{ type: 'DeliverableAchieved', data }];
}

/**
 * A lump sum is the whole amount or nothing: a partner records its deliverable as achieved (with
 * evidence or a note); finance accepts it (the lump sum counts, once) or rejects it with a reason
 * (it counts for nothing, and the partner may submit again).
 */
export function decideDeliverable(
  state: DeliverableState,
  command: DeliverableCommand,
  actor: ActivityActor,
  ctx: DeliverableContext,
): DeliverableEvent[] {
  if (command.type === 'RecordDeliverable') return decideRecord(state, command, actor, ctx);
  requireRole(actor, 'finance-officer', 'finance verifies deliverables');
  if (state.status === 'none') throw new DomainNotFoundError('no such deliverable');
  const { lumpSumId } = command;
  if (command.accepted) {
    if (state.status === 'accepted') return [];
    if (state.status !== 'pending')
      throw new DomainConflictError('not-pending', 'the deliverable is not awaiting verification');
    return [{ type: 'DeliverableAccepted', data: { lumpSumId } }];
  }
  const reason = command.reason?.trim() ?? '';
  if (reason === '') throw issue('reason', 'required', 'a rejection says why');
  if (state.status !== 'pending')
    throw new DomainConflictError('not-pending', 'the deliverable is not awaiting verification');
  return [{ type: 'DeliverableRejected', data: { lumpSumId, reason } }];
}
