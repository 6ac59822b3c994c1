import { isIsoDate, type IsoDate } from '../shared/iso-date';
import { isCents } from '../shared/money';
import { IssueCollector } from '../shared/validation';
import { TARGET_GROUPS } from '../project/project-definition';
import { periodOf, type PeriodId } from '../period/reporting-period';
import type { ReportingPeriodKind } from '../project/project-definition';
import {
  AUDIENCES,
  CONSULTATION_TOPICS,
  EQUIPMENT_CATEGORIES,
  PSYCH_RECIPIENTS,
  SERVICES,
  SETTINGS,
  SUPPORT_FORMATS,
  TRAINING_KINDS,
  ACTIVITY_KINDS,
  type ActivityFields,
  type CaregiverConsultationFields,
  type EquipmentProcuredFields,
  type PromotionEventFields,
  type PsychologicalSupportFields,
  type ServiceDeliveredFields,
  type TrainingHeldFields,
} from './activity-kinds';

/** What a decision about a dated record needs to know beyond its own stream (invariant 1). */
export interface DatingContext {
  readonly projectStart: IsoDate;
  readonly projectEnd: IsoDate;
  /** Null when the partner is not registered in the project. */
  readonly partnerJoinedOn: IsoDate | null;
  readonly reportingPeriod: ReportingPeriodKind;
  readonly lockedPeriods: ReadonlySet<PeriodId>;
  /** Today's date in Europe/Vilnius: records cannot be dated in the future. */
  readonly today: IsoDate;
  /** The project's envelope: no single amount can exceed it (so sums of amounts stay exact). */
  readonly envelopeCents?: number;
}

const REF = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function checkDate(c: IssueCollector, field: string, date: IsoDate, ctx: DatingContext): void {
  if (!isIsoDate(date)) return c.add(field, 'iso-date', 'must be a calendar date YYYY-MM-DD', date);
  if (date < ctx.projectStart || date > ctx.projectEnd) {
    return c.add(
      field,
      'within-project-period',
      `must lie within the project period ${ctx.projectStart}..${ctx.projectEnd}`,
      date,
    );
  }
  if (date > ctx.today) return c.add(field, 'not-in-future', `must not be after today (${ctx.today})`, date);
  if (ctx.partnerJoinedOn === null)
    return c.add('partnerId', 'registered-partner', 'the partner is not registered in this project');
  if (date < ctx.partnerJoinedOn) {
    return c.add(
      field,
      'on-or-after-partner-joined',
      `must be on or after the partner joined the project (${ctx.partnerJoinedOn})`,
      date,
    );
  }
}

export function isLocked(date: IsoDate, ctx: DatingContext): boolean {
  return ctx.lockedPeriods.has(periodOf(date, ctx.reportingPeriod));
}

const int = (c: IssueCollector, field: string, v: unknown, min: number, max: number) => {
  if (!Number.isSafeInteger(v) || (v as number) < min || (v as number) > max) {
    c.add(field, 'integer-range', `must be a whole number from ${min} to ${max}`, v);
  }
};
const oneOf = (c: IssueCollector, field: string, v: unknown, allowed: readonly string[]) => {
  if (!allowed.includes(v as string)) c.add(field, 'enum', `must be one of ${allowed.join(', ')}`, v);
};
const text = (c: IssueCollector, field: string, v: unknown, max = 300) => {
  if (typeof v !== 'string' || v.trim() === '' || v.length > max)
    c.add(field, 'non-empty-string', `must be a non-empty string of at most ${max} characters`, v);
};
const ref = (c: IssueCollector, field: string, v: unknown) => {
  if (v !== undefined && (typeof v !== 'string' || !REF.test(v)))
    c.add(field, 'reference', 'must be 1-64 letters, digits, dots, dashes or underscores', v);
};

/**
 * Field rules of every activity kind. `recipientAgeYears` (age on the service date, derived by the
 * server from the personal code and not stored) decides the pre-school rule.
 */
export function validateActivityFields(
  f: ActivityFields,
  ctx: DatingContext,
  recipientAgeYears?: number,
): IssueCollector {
  const c = new IssueCollector();
  checkDate(c, 'occurredOn', f.occurredOn, ctx);
  switch (f.kind) {
    case 'service-delivered':
      checkServiceDelivered(c, f, recipientAgeYears);
      break;
    case 'caregiver-consultation':
      checkCaregiverConsultation(c, f);
      break;
    case 'psychological-support':
      checkPsychologicalSupport(c, f);
      break;
    case 'training-held':
      checkTrainingHeld(c, f);
      break;
    case 'equipment-procured':
      checkEquipmentProcured(c, f, ctx);
      break;
    case 'promotion-event':
      checkPromotionEvent(c, f);
      break;
    default:
      // Imports and other callers can hand in anything: an unknown kind is refused, never stored.
      c.add('kind', 'enum', `must be one of ${ACTIVITY_KINDS.join(', ')}`, (f as { kind?: unknown }).kind);
  }
  return c;
}

function checkServiceDelivered(c: IssueCollector, f: ServiceDeliveredFields, recipientAgeYears?: number): void {
  oneOf(c, 'service', f.service, SERVICES);
  oneOf(c, 'targetGroup', f.targetGroup, TARGET_GROUPS);
  oneOf(c, 'setting', f.setting, SETTINGS);
  // With both times the minutes are checked against them (checkServiceTimes).
  if (f.startTime === undefined || f.endTime === undefined) int(c, 'durationMinutes', f.durationMinutes, 1, 1440);
  ref(c, 'workerRef', f.workerRef);
  ref(c, 'teamRef', f.teamRef);
  checkServiceTimes(c, f);
  if (f.setting === 'pre-school') {
    if (f.targetGroup !== 'disabled-child') {
      c.add(
        'setting',
        'pre-school-for-disabled-children',
        'pre-school is a setting only for disabled children',
        f.setting,
      );
    } else if (recipientAgeYears !== undefined && recipientAgeYears >= 7) {
      c.add(
        'setting',
        'pre-school-under-7',
        'pre-school services are for children under 7 on the service date',
        f.setting,
      );
    }
  }
  if (recipientAgeYears !== undefined) checkAgeFitsTargetGroup(c, f, recipientAgeYears);
}

/** The recipient's age on the service date must fit the target group (children are under 18). */
function checkAgeFitsTargetGroup(c: IssueCollector, f: ServiceDeliveredFields, recipientAgeYears: number): void {
  if (f.targetGroup === 'disabled-child' && recipientAgeYears >= 18) {
    c.add('targetGroup', 'child-under-18', 'the recipient is 18 or older on the service date', f.targetGroup);
  }
  if (f.targetGroup === 'disabled-adult' && recipientAgeYears < 18) {
    c.add('targetGroup', 'adult-18-or-over', 'the recipient is under 18 on the service date', f.targetGroup);
  }
}

function checkCaregiverConsultation(c: IssueCollector, f: CaregiverConsultationFields): void {
  oneOf(c, 'topic', f.topic, CONSULTATION_TOPICS);
  int(c, 'durationMinutes', f.durationMinutes, 1, 1440);
  int(c, 'familyMembers', f.familyMembers, 1, 100);
  ref(c, 'workerRef', f.workerRef);
}

function checkPsychologicalSupport(c: IssueCollector, f: PsychologicalSupportFields): void {
  oneOf(c, 'recipientKind', f.recipientKind, PSYCH_RECIPIENTS);
  oneOf(c, 'format', f.format, SUPPORT_FORMATS);
  int(c, 'durationMinutes', f.durationMinutes, 1, 1440);
  int(c, 'participants', f.participants, 1, 500);
  if (f.format === 'individual' && f.participants !== 1)
    c.add('participants', 'individual-is-one', 'individual support has exactly 1 participant', f.participants);
  ref(c, 'workerRef', f.workerRef);
}

function checkTrainingHeld(c: IssueCollector, f: TrainingHeldFields): void {
  oneOf(c, 'trainingKind', f.trainingKind, TRAINING_KINDS);
  text(c, 'topic', f.topic);
  int(c, 'durationMinutes', f.durationMinutes, 1, 60 * 24 * 10);
  int(c, 'participants', f.participants, 1, 10_000);
}

function checkEquipmentProcured(c: IssueCollector, f: EquipmentProcuredFields, ctx: DatingContext): void {
  oneOf(c, 'category', f.category, EQUIPMENT_CATEGORIES);
  text(c, 'description', f.description);
  int(c, 'quantity', f.quantity, 1, 100_000);
  if (!isCents(f.unitPriceCents) || f.unitPriceCents === 0)
    c.add('unitPrice', 'money', 'must be a positive amount', f.unitPriceCents);
  if (!isCents(f.totalCents)) c.add('total', 'money', 'must be an amount', f.totalCents);
  else if (
    Number.isSafeInteger(f.quantity) &&
    isCents(f.unitPriceCents) &&
    f.totalCents !== f.quantity * f.unitPriceCents
  ) {
    c.add('total', 'quantity-times-unit-price', 'must equal quantity × unitPrice exactly', f.totalCents);
  } else if (ctx.envelopeCents !== undefined && f.totalCents > ctx.envelopeCents) {
    c.add('total', 'within-envelope', "must not exceed the project's envelope", f.totalCents);
  }
  text(c, 'supplier', f.supplier);
  text(c, 'contractRef', f.contractRef, 100);
}

function checkPromotionEvent(c: IssueCollector, f: PromotionEventFields): void {
  oneOf(c, 'audience', f.audience, AUDIENCES);
  text(c, 'title', f.title);
  int(c, 'attendees', f.attendees, 1, 100_000);
}

/** A time of day HH:MM (00:00-23:59). */
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Minutes from start to end of a service's times, or null unless both are times in order. */
export function serviceTimeMinutes(startTime: unknown, endTime: unknown): number | null {
  if (typeof startTime !== 'string' || typeof endTime !== 'string') return null;
  if (!TIME.test(startTime) || !TIME.test(endTime)) return null;
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  const span = minutes(endTime) - minutes(startTime);
  return span > 0 ? span : null;
}

/** Times come together, on the service's day, the end after the start; the minutes must be their span. */
function checkServiceTimes(c: IssueCollector, f: ServiceDeliveredFields): void {
  if (f.startTime === undefined && f.endTime === undefined) return;
  if (f.startTime === undefined || f.endTime === undefined) {
    const missing = f.startTime === undefined ? 'startTime' : 'endTime';
    return c.add(missing, 'times-together', 'startTime and endTime are given together or not at all');
  }
  for (const field of ['startTime', 'endTime'] as const)
    if (!TIME.test(f[field] ?? '')) c.add(field, 'time', 'must be a time of day HH:MM', f[field]);
  if (!TIME.test(f.startTime) || !TIME.test(f.endTime)) return;
  const span = serviceTimeMinutes(f.startTime, f.endTime);
  if (span === null) return c.add('endTime', 'end-after-start', 'must be after startTime on the same day', f.endTime);
  if (f.durationMinutes !== span)
    c.add(
      'durationMinutes',
      'matches-times',
      `must be the minutes from startTime to endTime (${span}), or be left out`,
      f.durationMinutes,
    );
}
