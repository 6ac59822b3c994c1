import type { RecipientRef } from '../activity/activity-kinds';
import type { ActivityActor } from '../activity/activity.state';
import { isIsoDate, type IsoDate } from '../shared/iso-date';
import { requireRole } from '../shared/record-guards';
import { DomainConflictError, DomainNotFoundError, IssueCollector } from '../shared/validation';
import {
  SERVICE_END_REASONS,
  WORKER_ROLES,
  type ServiceEndReason,
  type WorkerRole,
  type WorkforceEvent,
} from './workforce.events';
import { openPosition, type Worker, type Workforce } from './workforce.state';

export type WorkforceCommand =
  | {
      readonly type: 'RegisterWorker';
      readonly workerRef: string;
      readonly teamRef: string;
      readonly role: WorkerRole;
      readonly startedOn: IsoDate;
    }
  | {
      readonly type: 'AssignWorker';
      readonly workerRef: string;
      readonly teamRef: string;
      readonly assignedOn: IsoDate;
    }
  | { readonly type: 'RecordWorkerLeft'; readonly workerRef: string; readonly leftOn: IsoDate }
  | {
      readonly type: 'VacatePosition';
      readonly positionRef: string;
      readonly teamRef: string;
      readonly role: WorkerRole;
      readonly vacatedOn: IsoDate;
    }
  | {
      readonly type: 'FillPosition';
      readonly positionRef: string;
      readonly workerRef: string;
      readonly filledOn: IsoDate;
    }
  | {
      readonly type: 'EndService';
      readonly recipient: RecipientRef;
      readonly endedOn: IsoDate;
      readonly reason: ServiceEndReason;
      readonly note?: string;
    };

/** The partner whose stream it is, the project's days and the check's day. */
export interface WorkforceContext {
  readonly partnerId: string;
  readonly projectStart: IsoDate;
  readonly projectEnd: IsoDate;
  readonly today: IsoDate;
}

/** Worker, team and position references: codes, never names. */
export const WORKFORCE_REF = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function ref(c: IssueCollector, field: string, value: unknown): void {
  if (typeof value !== 'string' || !WORKFORCE_REF.test(value))
    c.add(
      field,
      'reference',
      'must be 1-64 letters, digits, dots, dashes or underscores (a code, never a name)',
      value,
    );
}

function role(c: IssueCollector, value: unknown): void {
  if (!(WORKER_ROLES as readonly unknown[]).includes(value))
    c.add('role', 'one-of', `must be one of ${WORKER_ROLES.join(', ')}`, value);
}

/** A day inside the project, not after today, and not before `notBefore` (rule `in-order`). */
function day(c: IssueCollector, field: string, value: unknown, ctx: WorkforceContext, notBefore?: IsoDate): void {
  if (!isIsoDate(value)) return c.add(field, 'iso-date', 'must be a calendar date YYYY-MM-DD', value);
  if (value < ctx.projectStart || value > ctx.projectEnd)
    return c.add(field, 'within-project-period', `must lie within ${ctx.projectStart}..${ctx.projectEnd}`, value);
  if (value > ctx.today) return c.add(field, 'not-in-future', `must not be after today (${ctx.today})`, value);
  if (notBefore !== undefined && value < notBefore) c.add(field, 'in-order', `must not be before ${notBefore}`, value);
}

function knownWorker(state: Workforce, workerRef: string): Worker {
  const w = state.workers.get(workerRef);
  if (!w) throw new DomainNotFoundError('no such worker');
  if (w.leftOn !== null) throw new DomainConflictError('worker-left', `worker ${workerRef} left on ${w.leftOn}`);
  return w;
}

type Cmd<T extends WorkforceCommand['type']> = Extract<WorkforceCommand, { type: T }>;

function registerWorker(state: Workforce, cmd: Cmd<'RegisterWorker'>, ctx: WorkforceContext): WorkforceEvent[] {
  const { type: _, ...rest } = cmd;
  const known = state.workers.get(cmd.workerRef);
  if (known) {
    const same = known.teamRef === cmd.teamRef && known.role === cmd.role && known.startedOn === cmd.startedOn;
    if (same) return [];
    throw new DomainConflictError('worker-exists', `worker ${cmd.workerRef} is already registered`);
  }
  const c = new IssueCollector();
  ref(c, 'workerRef', cmd.workerRef);
  ref(c, 'teamRef', cmd.teamRef);
  role(c, cmd.role);
  day(c, 'startedOn', cmd.startedOn, ctx);
  c.throwIfAny();
  return [{ type: 'WorkerRegistered', data: { partnerId: ctx.partnerId, ...rest } }];
}

function assignWorker(state: Workforce, cmd: Cmd<'AssignWorker'>, ctx: WorkforceContext): WorkforceEvent[] {
  const w = knownWorker(state, cmd.workerRef);
  const last = w.moves[w.moves.length - 1];
  if ((last?.teamRef ?? w.teamRef) === cmd.teamRef) return [];
  const c = new IssueCollector();
  ref(c, 'teamRef', cmd.teamRef);
  day(c, 'assignedOn', cmd.assignedOn, ctx, last?.assignedOn ?? w.startedOn);
  c.throwIfAny();
  const { type: _, ...rest } = cmd;
  return [{ type: 'WorkerAssigned', data: { partnerId: ctx.partnerId, ...rest } }];
}

function workerLeft(state: Workforce, cmd: Cmd<'RecordWorkerLeft'>, ctx: WorkforceContext): WorkforceEvent[] {
  const w = knownWorker(state, cmd.workerRef);
  const c = new IssueCollector();
  day(c, 'leftOn', cmd.leftOn, ctx, w.moves[w.moves.length - 1]?.assignedOn ?? w.startedOn);
  c.throwIfAny();
  return [{ type: 'WorkerLeft', data: { partnerId: ctx.partnerId, workerRef: cmd.workerRef, leftOn: cmd.leftOn } }];
}

function vacatePosition(state: Workforce, cmd: Cmd<'VacatePosition'>, ctx: WorkforceContext): WorkforceEvent[] {
  if (openPosition(state, cmd.positionRef))
    throw new DomainConflictError('position-vacant', `position ${cmd.positionRef} is already vacant`);
  const lastFill = state.positions.filter((p) => p.positionRef === cmd.positionRef).pop()?.filledOn ?? undefined;
  const c = new IssueCollector();
  ref(c, 'positionRef', cmd.positionRef);
  ref(c, 'teamRef', cmd.teamRef);
  role(c, cmd.role);
  day(c, 'vacatedOn', cmd.vacatedOn, ctx, lastFill);
  c.throwIfAny();
  const { type: _, ...rest } = cmd;
  return [{ type: 'PositionVacated', data: { partnerId: ctx.partnerId, ...rest } }];
}

function fillPosition(state: Workforce, cmd: Cmd<'FillPosition'>, ctx: WorkforceContext): WorkforceEvent[] {
  const open = openPosition(state, cmd.positionRef);
  if (!open) throw new DomainConflictError('position-not-vacant', `position ${cmd.positionRef} is not vacant`);
  const c = new IssueCollector();
  const w = state.workers.get(cmd.workerRef);
  if (!w || w.leftOn !== null)
    c.add('workerRef', 'registered-worker', 'must be a worker of the partner who has not left', cmd.workerRef);
  day(c, 'filledOn', cmd.filledOn, ctx, open.vacatedOn);
  c.throwIfAny();
  const { type: _, ...rest } = cmd;
  return [{ type: 'PositionFilled', data: { partnerId: ctx.partnerId, ...rest } }];
}

function endService(state: Workforce, cmd: Cmd<'EndService'>, ctx: WorkforceContext): WorkforceEvent[] {
  const c = new IssueCollector();
  if (!(SERVICE_END_REASONS as readonly unknown[]).includes(cmd.reason))
    c.add('reason', 'one-of', `must be one of ${SERVICE_END_REASONS.join(', ')}`, cmd.reason);
  const note = cmd.note?.trim();
  if (cmd.reason === 'other' && (!note || note.length < 3))
    c.add('note', 'required-for-other', 'must say why (3-500 characters) when the reason is other');
  if (note !== undefined && note.length > 500) c.add('note', 'text', 'must be at most 500 characters');
  day(c, 'endedOn', cmd.endedOn, ctx);
  c.throwIfAny();
  const same = state.endings.find(
    (e) => e.recipient.pseudonym === cmd.recipient.pseudonym && e.endedOn === cmd.endedOn,
  );
  if (same && same.reason === cmd.reason && same.note === note) return [];
  if (same) throw new DomainConflictError('service-ended', 'the service already ended on that day, for another reason');
  const { type: _, note: __, ...rest } = cmd;
  return [{ type: 'ServiceEnded', data: { partnerId: ctx.partnerId, ...rest, ...(note ? { note } : {}) } }];
}

/** Only the partner records its own staff, positions and service endings (another's: missing). */
export function decideWorkforce(
  state: Workforce,
  command: WorkforceCommand,
  actor: ActivityActor,
  ctx: WorkforceContext,
): WorkforceEvent[] {
  requireRole(actor, 'partner-submitter', 'only the partner records its own staff and services');
  if (actor.partnerId !== ctx.partnerId) throw new DomainNotFoundError('no such partner');
  switch (command.type) {
    case 'RegisterWorker':
      return registerWorker(state, command, ctx);
    case 'AssignWorker':
      return assignWorker(state, command, ctx);
    case 'RecordWorkerLeft':
      return workerLeft(state, command, ctx);
    case 'VacatePosition':
      return vacatePosition(state, command, ctx);
    case 'FillPosition':
      return fillPosition(state, command, ctx);
    case 'EndService':
      return endService(state, command, ctx);
  }
}
