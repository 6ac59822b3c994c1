import { RECORDED_EVENT_TYPE, type ActivityFields, type ActivityRecorded, type ExpenditureFields } from '@ihl/domain';
import type { LedgerEvent, RecordEvent } from './ledger-events';

/**
 * An activity or expenditure record as the figures see it: current values (corrections applied),
 * voided or not, the finance verdict. One row per record, shared by every read model, so a
 * rebuild writes each record once instead of once per figure.
 */
export interface LedgerRecord {
  /** Creation order (the row's integer key): records arrive in log order, so inserts append. */
  readonly seq: number;
  /** The activity or expenditure id (its stream's id without the prefix). */
  readonly recordId: string;
  /** Activity kind (`service-delivered`, ...) or `expenditure`. */
  readonly kind: string;
  readonly projectCode: string;
  readonly partnerId: string;
  readonly occurredOn: string;
  /** Position of the event that created the record. */
  readonly position: number;
  /** When the event that created the record was stored (ISO, UTC): how long a review has waited. */
  readonly recordedAt: string;
  readonly voided: boolean;
  /** The review of the current values: a correction makes it pending again (as the domain's fold does). */
  readonly review: RecordReview;
  /** An expenditure's supporting document (invoice, payroll). */
  readonly documentRef: string | null;
  /** The reviewer's note of a verification, or the reason of a rejection. */
  readonly verdictNote: string | null;
  /** A service's recipient (pseudonym). */
  readonly person: string | null;
  readonly targetGroup: string | null;
  /** A service's service and setting (null for other kinds, as the fields below for kinds without them). */
  readonly service: string | null;
  readonly setting: string | null;
  /** Psychological support's recipient kind. */
  readonly recipientKind: string | null;
  /** A procured equipment's category. */
  readonly equipmentCategory: string | null;
  /** A promotion event's audience. */
  readonly audience: string | null;
  readonly workerRef: string | null;
  /** A service's start and end time as minutes of its day (null without times). */
  readonly startMinute: number | null;
  readonly endMinute: number | null;
  readonly minutes: number;
  /** Family members, participants or attendees. */
  readonly people: number;
  readonly peopleMinutes: number;
  readonly quantity: number;
  /** Equipment cost, or the declared amount of an expenditure. */
  readonly cents: number;
  readonly categoryId: string | null;
  readonly eligibleCents: number | null;
  readonly ineligibleCents: number | null;
  /** The code of the verdict's reason for an ineligible amount (docs/finance.md). */
  readonly ineligibleReason: string | null;
  /** A late entry (dated in a locked period): the period whose report took it; null otherwise. Set once. */
  readonly reportedIn: string | null;
}

/** An activity's review by the agency, or an expenditure's verification by finance (never rejected). */
export type RecordReview = 'pending' | 'verified' | 'rejected';

/** Before and after one event of a record stream; `before` is null when the event created it. */
export interface RecordChange {
  readonly before: LedgerRecord | null;
  readonly after: LedgerRecord;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/** A record being built (created, or read back from its row). */
export type RecordDraft = Mutable<LedgerRecord>;
/** The part of a record its events may change: the `records` columns after the fixed ones (record-columns.ts). */
export type RecordValues = Omit<
  LedgerRecord,
  'seq' | 'recordId' | 'kind' | 'projectCode' | 'partnerId' | 'position' | 'recordedAt'
>;
/** The part of a record its fields (and the finance verdict) decide. */
type Values = Omit<RecordValues, 'voided' | 'reportedIn'>;

/**
 * Nothing counted yet. Hand-made or old events may lack a field: it then counts as empty or 0
 * (never a failed rebuild), hence the `?? ''` and `?? 0` on fields the types say are there.
 */
export const noValues = (occurredOn?: string): Mutable<Values> => ({
  occurredOn: occurredOn ?? '',
  person: null,
  targetGroup: null,
  service: null,
  setting: null,
  recipientKind: null,
  equipmentCategory: null,
  audience: null,
  workerRef: null,
  startMinute: null,
  endMinute: null,
  minutes: 0,
  people: 0,
  peopleMinutes: 0,
  quantity: 0,
  cents: 0,
  categoryId: null,
  eligibleCents: null,
  ineligibleCents: null,
  ineligibleReason: null,
  review: 'pending',
  documentRef: null,
  verdictNote: null,
});

/** What an activity's fields mean for the figures. */
function activityValues(f: ActivityFields): Values {
  const v = noValues(f.occurredOn);
  switch (f.kind) {
    case 'service-delivered':
      v.service = f.service ?? '';
      v.setting = f.setting ?? '';
      v.person = f.recipient?.pseudonym ?? null;
      v.targetGroup = f.targetGroup ?? '';
      v.workerRef = f.workerRef || null;
      v.minutes = f.durationMinutes ?? 0;
      v.startMinute = minuteOfDay(f.startTime);
      v.endMinute = minuteOfDay(f.endTime);
      break;
    case 'caregiver-consultation':
      v.workerRef = f.workerRef || null;
      v.minutes = f.durationMinutes ?? 0;
      v.people = f.familyMembers ?? 0;
      break;
    case 'psychological-support':
    case 'training-held':
      if (f.kind === 'psychological-support') {
        v.recipientKind = f.recipientKind ?? '';
        v.workerRef = f.workerRef || null;
      }
      v.minutes = f.durationMinutes ?? 0;
      v.people = f.participants ?? 0;
      v.peopleMinutes = v.people * v.minutes;
      break;
    case 'equipment-procured':
      v.equipmentCategory = f.category ?? '';
      v.quantity = f.quantity ?? 0;
      v.cents = f.totalCents ?? 0;
      break;
    case 'promotion-event':
      v.audience = f.audience ?? '';
      v.people = f.attendees ?? 0;
      break;
  }
  return v;
}

/** An expenditure's fields; a new declaration or correction awaits a new verdict. */
function expenditureValues(f: ExpenditureFields): Values {
  const v = noValues(f.occurredOn);
  v.cents = f.amountCents ?? 0;
  v.categoryId = f.categoryId ?? '';
  v.documentRef = f.documentRef || null;
  return v;
}

/** One object shape for every record (spreads would build slow, shapeless objects on every event). */
export function recordWith(r: Omit<LedgerRecord, keyof Values>, v: Values): RecordDraft {
  return {
    seq: r.seq,
    recordId: r.recordId,
    kind: r.kind,
    projectCode: r.projectCode,
    partnerId: r.partnerId,
    occurredOn: v.occurredOn,
    position: r.position,
    recordedAt: r.recordedAt,
    voided: r.voided,
    reportedIn: r.reportedIn,
    person: v.person,
    targetGroup: v.targetGroup,
    service: v.service,
    setting: v.setting,
    recipientKind: v.recipientKind,
    equipmentCategory: v.equipmentCategory,
    audience: v.audience,
    workerRef: v.workerRef,
    startMinute: v.startMinute,
    endMinute: v.endMinute,
    minutes: v.minutes,
    people: v.people,
    peopleMinutes: v.peopleMinutes,
    quantity: v.quantity,
    cents: v.cents,
    categoryId: v.categoryId,
    eligibleCents: v.eligibleCents,
    ineligibleCents: v.ineligibleCents,
    ineligibleReason: v.ineligibleReason,
    review: v.review,
    documentRef: v.documentRef,
    verdictNote: v.verdictNote,
  };
}

/** The record an event creates (revision 0 of an activity or expenditure stream), if it creates one. */
export function createdRecord(e: RecordEvent, recordId: string, seq: number): RecordDraft | null {
  if (e.revision !== 0) return null;
  let kind: string;
  let values: Values;
  let projectCode: string;
  if (e.type === 'ExpenditureDeclared') {
    if (!e.data.fields || !e.streamId.startsWith('expenditure-')) return null;
    kind = 'expenditure';
    values = expenditureValues(e.data.fields);
    projectCode = e.data.projectCode;
  } else if (isRecorded(e)) {
    if (!e.data.fields || !e.streamId.startsWith('activity-')) return null;
    kind = e.data.fields.kind || 'unknown';
    values = activityValues(e.data.fields);
    projectCode = e.data.projectCode;
  } else return null;
  const base = {
    seq,
    recordId,
    kind,
    projectCode: projectCode ?? '',
    partnerId: e.data.partnerId,
    position: e.position,
    recordedAt: e.recordedAt,
    voided: false,
    reportedIn: e.data.reportedIn ?? null,
  };
  return recordWith(base, values);
}

/** The record after a later event of its stream; events that change no figure leave it as it was. */
export function changedRecord(r: LedgerRecord, e: RecordEvent): LedgerRecord {
  switch (e.type) {
    case 'ActivityCorrected':
      return e.data.fields && r.kind !== 'expenditure' ? recordWith(r, activityValues(e.data.fields)) : r;
    case 'ActivityVoided':
    case 'ExpenditureVoided':
      return recordWith({ ...r, voided: true }, r);
    case 'ExpenditureCorrected':
      return e.data.fields && r.kind === 'expenditure' ? recordWith(r, expenditureValues(e.data.fields)) : r;
    case 'ExpenditureVerified':
      return r.kind === 'expenditure'
        ? recordWith(r, {
            ...r,
            eligibleCents: e.data.eligibleCents ?? 0,
            ineligibleCents: e.data.ineligibleCents ?? 0,
            ineligibleReason: e.data.ineligibleReason ?? null,
            review: 'verified',
            verdictNote: e.data.note ?? null,
          })
        : r;
    case 'ActivityVerified':
      return r.kind === 'expenditure'
        ? r
        : recordWith(r, { ...r, review: 'verified', verdictNote: e.data.note ?? null });
    case 'ActivityRejected':
      return r.kind === 'expenditure'
        ? r
        : recordWith(r, { ...r, review: 'rejected', verdictNote: e.data.reason ?? null });
    default:
      return r;
  }
}

const RECORDED: ReadonlySet<string> = new Set(Object.values(RECORDED_EVENT_TYPE));
const isRecorded = (e: RecordEvent): e is LedgerEvent<ActivityRecorded['type']> => RECORDED.has(e.type);

/** HH:MM as minutes of the day; null without a time. */
function minuteOfDay(time: string | undefined): number | null {
  return time === undefined ? null : Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}
