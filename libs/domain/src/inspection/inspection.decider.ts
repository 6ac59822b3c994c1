import type { ActivityActor } from '../activity/activity.state';
import { isIsoDate, type IsoDate } from '../shared/iso-date';
import { canonicalJson } from '../shared/canonical-json';
import { requireRole } from '../shared/record-guards';
import { DomainConflictError, DomainNotFoundError, IssueCollector, requireReason } from '../shared/validation';
import {
  FINDING_SEVERITIES,
  INSPECTION_KINDS,
  KNOWN_STANDARDS,
  type FindingSeverity,
  type InspectionEvent,
  type InspectionKind,
} from './inspection.events';
import type { InspectionFinding, Inspection, InspectionState } from './inspection.state';

export type InspectionCommand =
  | {
      readonly type: 'RecordInspection';
      readonly inspectionId: string;
      readonly projectCode: string;
      readonly partnerId: string;
      readonly kind: InspectionKind;
      readonly scope: string;
      readonly standards: readonly string[];
      readonly startedOn: IsoDate;
      readonly endedOn: IsoDate;
      readonly inspectorRefs: readonly string[];
    }
  | {
      readonly type: 'RecordFinding';
      readonly findingId: string;
      readonly standard: string;
      readonly severity: FindingSeverity;
      readonly description: string;
      readonly dueOn: IsoDate;
    }
  | {
      readonly type: 'RespondToFinding';
      readonly findingId: string;
      readonly response: string;
      readonly evidenceRefs: readonly string[];
      readonly respondedOn: IsoDate;
    }
  | { readonly type: 'ResolveFinding'; readonly findingId: string; readonly resolvedOn: IsoDate }
  | {
      readonly type: 'EscalateFinding';
      readonly findingId: string;
      readonly escalatedOn: IsoDate;
      readonly reason: string;
    };

/** What inspections are checked against: the project's dates and partners, and the check's day. */
export interface InspectionContext {
  readonly projectStart: IsoDate;
  readonly projectEnd: IsoDate;
  readonly today: IsoDate;
  readonly partnerIds: readonly string[];
}

/** A standard from the documented list, or a reference to another one ("ref:" and a code). */
const STANDARD_REF = /^ref:[A-Za-z0-9._/-]{1,60}$/;
/** Inspector and evidence references: codes, never names or personal codes (the API refuses those). */
const REF = /^[A-Za-z0-9._:/-]{1,60}$/;

const isStandard = (s: unknown): boolean =>
  typeof s === 'string' && ((KNOWN_STANDARDS as readonly string[]).includes(s) || STANDARD_REF.test(s));

function dateIn(c: IssueCollector, field: string, date: unknown, from: IsoDate, to: IsoDate, fromRule: string): void {
  if (!isIsoDate(date)) c.add(field, 'iso-date', 'must be a calendar date YYYY-MM-DD', date);
  else if (date < from) c.add(field, fromRule, `must not be before ${from}`, date);
  else if (date > to) c.add(field, to === from ? fromRule : 'within-range', `must not be after ${to}`, date);
}

function text(c: IssueCollector, field: string, value: unknown, max: number): void {
  if (typeof value !== 'string' || value.trim().length < 3 || value.length > max)
    c.add(field, 'text', `must be 3-${max} characters`, value);
}

function refs(c: IssueCollector, field: string, value: readonly unknown[], min: number): void {
  if (value.length < min || value.length > 20) c.add(field, 'count', `must hold ${min}-20 references`, value.length);
  value.forEach((r, i) => {
    if (typeof r !== 'string' || !REF.test(r))
      c.add(`${field}[${i}]`, 'reference', 'must be a code of 1-60 letters, digits or ._:/-', r);
  });
}

function decideRecordInspection(
  state: InspectionState,
  cmd: Extract<InspectionCommand, { type: 'RecordInspection' }>,
  ctx: InspectionContext,
): InspectionEvent[] {
  const { type: _, ...data } = cmd;
  if (state) {
    const { findings: __, ...known } = state;
    if (canonicalJson(known) === canonicalJson(data)) return [];
    throw new DomainConflictError('inspection-exists', `inspection ${cmd.inspectionId} is already recorded`);
  }
  const c = new IssueCollector();
  if (!ctx.partnerIds.includes(cmd.partnerId))
    c.add('partnerId', 'registered-partner', 'must be a partner of the project', cmd.partnerId);
  if (!INSPECTION_KINDS.includes(cmd.kind))
    c.add('kind', 'one-of', `must be one of ${INSPECTION_KINDS.join(', ')}`, cmd.kind);
  text(c, 'scope', cmd.scope, 500);
  if (cmd.standards.length < 1 || cmd.standards.length > 20)
    c.add('standards', 'count', 'must name 1-20 standards', cmd.standards.length);
  cmd.standards.forEach((s, i) => {
    if (!isStandard(s)) c.add(`standards[${i}]`, 'standard', 'must be a listed standard or "ref:" and a code', s);
  });
  const lastDay = ctx.today < ctx.projectEnd ? ctx.today : ctx.projectEnd;
  dateIn(c, 'startedOn', cmd.startedOn, ctx.projectStart, lastDay, 'within-project-period');
  dateIn(c, 'endedOn', cmd.endedOn, isIsoDate(cmd.startedOn) ? cmd.startedOn : ctx.projectStart, lastDay, 'in-order');
  refs(c, 'inspectorRefs', cmd.inspectorRefs, 1);
  c.throwIfAny();
  return [{ type: 'InspectionRecorded', data }];
}

function decideRecordFinding(
  inspection: Inspection,
  cmd: Extract<InspectionCommand, { type: 'RecordFinding' }>,
  ctx: InspectionContext,
): InspectionEvent[] {
  const { type: _, ...rest } = cmd;
  const data = { inspectionId: inspection.inspectionId, ...rest };
  const known = inspection.findings.get(cmd.findingId);
  if (known) {
    const same =
      known.standard === cmd.standard &&
      known.severity === cmd.severity &&
      known.description === cmd.description &&
      known.dueOn === cmd.dueOn;
    if (same) return [];
    throw new DomainConflictError('finding-exists', `finding ${cmd.findingId} is already recorded`);
  }
  const c = new IssueCollector();
  if (!inspection.standards.includes(cmd.standard))
    c.add('standard', 'checked-standard', 'must be one of the standards the inspection checked', cmd.standard);
  if (!FINDING_SEVERITIES.includes(cmd.severity))
    c.add('severity', 'one-of', `must be one of ${FINDING_SEVERITIES.join(', ')}`, cmd.severity);
  text(c, 'description', cmd.description, 2000);
  // Due on or after the inspection's first day, and while the project runs (so it can be followed up).
  dateIn(c, 'dueOn', cmd.dueOn, inspection.startedOn, ctx.projectEnd, 'not-before-inspection');
  c.throwIfAny();
  return [{ type: 'FindingRecorded', data }];
}

function openFinding(inspection: Inspection, findingId: string): InspectionFinding {
  const finding = inspection.findings.get(findingId);
  if (!finding) throw new DomainNotFoundError('no such finding');
  if (finding.resolvedOn !== null)
    throw new DomainConflictError('finding-resolved', `finding ${findingId} is already resolved`);
  return finding;
}

function actionDate(field: string, date: unknown, inspection: Inspection, ctx: InspectionContext): void {
  const c = new IssueCollector();
  dateIn(c, field, date, inspection.startedOn, ctx.today, 'not-before-inspection');
  c.throwIfAny();
}

function decideOnFinding(
  inspection: Inspection,
  cmd: InspectionCommand,
  actor: ActivityActor,
  ctx: InspectionContext,
): InspectionEvent[] {
  const inspectionId = inspection.inspectionId;
  switch (cmd.type) {
    case 'RecordFinding':
      requireRole(actor, 'agency-auditor', 'only the agency records findings');
      return decideRecordFinding(inspection, cmd, ctx);
    case 'RespondToFinding': {
      requireRole(actor, 'partner-submitter', 'only the inspected partner responds to a finding');
      openFinding(inspection, cmd.findingId);
      const c = new IssueCollector();
      text(c, 'response', cmd.response, 4000);
      refs(c, 'evidenceRefs', cmd.evidenceRefs, 0);
      c.throwIfAny();
      actionDate('respondedOn', cmd.respondedOn, inspection, ctx);
      const { type: _, ...data } = cmd;
      return [{ type: 'FindingResponded', data: { inspectionId, ...data } }];
    }
    case 'ResolveFinding':
      requireRole(actor, 'agency-auditor', 'only the agency resolves findings');
      openFinding(inspection, cmd.findingId);
      actionDate('resolvedOn', cmd.resolvedOn, inspection, ctx);
      return [
        { type: 'FindingResolved', data: { inspectionId, findingId: cmd.findingId, resolvedOn: cmd.resolvedOn } },
      ];
    case 'EscalateFinding': {
      requireRole(actor, 'agency-auditor', 'only the agency escalates findings');
      const finding = openFinding(inspection, cmd.findingId);
      if (finding.escalatedOn !== null)
        throw new DomainConflictError('finding-escalated', `finding ${cmd.findingId} is already escalated`);
      const reason = requireReason(cmd.reason);
      actionDate('escalatedOn', cmd.escalatedOn, inspection, ctx);
      return [
        {
          type: 'FindingEscalated',
          data: { inspectionId, findingId: cmd.findingId, escalatedOn: cmd.escalatedOn, reason },
        },
      ];
    }
    default:
      throw new DomainConflictError('inspection-exists', 'the inspection is already recorded');
  }
}

/**
 * The agency auditor records inspections, findings and their outcome; the inspected partner alone
 * responds. Another partner's inspection answers as missing, like an unknown one.
 */
export function decideInspection(
  state: InspectionState,
  command: InspectionCommand,
  actor: ActivityActor,
  ctx: InspectionContext,
): InspectionEvent[] {
  if (command.type === 'RecordInspection') {
    requireRole(actor, 'agency-auditor', 'only the agency records inspections');
    return decideRecordInspection(state, command, ctx);
  }
  if (!state || (actor.role === 'partner-submitter' && actor.partnerId !== state.partnerId))
    throw new DomainNotFoundError('no such inspection');
  return decideOnFinding(state, command, actor, ctx);
}
