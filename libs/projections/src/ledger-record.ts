import { RECORDED_EVENT_TYPE } from '@ihl/domain';
import type { StoredEvent } from '@ihl/event-store';

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
  readonly voided: boolean;
  /** A service's recipient (pseudonym). */
  readonly person: string | null;
  readonly targetGroup: string | null;
  /** The breakdown the record falls in: service and setting, recipient kind, equipment category, audience. */
  readonly key1: string;
  readonly key2: string;
  readonly workerRef: string | null;
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
}

/** Before and after one event of a record stream; `before` is null when the event created it. */
export interface RecordChange {
  readonly before: LedgerRecord | null;
  readonly after: LedgerRecord;
}

const ACTIVITY_RECORDED = new Set<string>(Object.values(RECORDED_EVENT_TYPE));

type Fields = Record<string, unknown>;
interface RecordData {
  projectCode?: string;
  partnerId: string;
  fields?: Fields;
  eligibleCents?: number;
  ineligibleCents?: number;
}

const num = (f: Fields, k: string) => (typeof f[k] === 'number' ? (f[k] as number) : 0);
const str = (f: Fields, k: string) => (typeof f[k] === 'string' ? (f[k] as string) : '');

/** The part of a record its fields (and the finance verdict) decide. */
type Values = Omit<LedgerRecord, 'seq' | 'recordId' | 'kind' | 'projectCode' | 'partnerId' | 'position' | 'voided'>;

/** What an activity's fields mean for the figures. */
function activityValues(kind: string, f: Fields): Values {
  const service = kind === 'service-delivered';
  let key1 = '';
  let key2 = '';
  if (service) {
    key1 = str(f, 'service');
    key2 = str(f, 'setting');
  } else if (kind === 'psychological-support') key1 = str(f, 'recipientKind');
  else if (kind === 'equipment-procured') key1 = str(f, 'category');
  else if (kind === 'promotion-event') key1 = str(f, 'audience');
  return {
    occurredOn: str(f, 'occurredOn'),
    person: service ? ((f.recipient as { pseudonym?: string } | undefined)?.pseudonym ?? null) : null,
    targetGroup: service ? str(f, 'targetGroup') : null,
    key1,
    key2,
    workerRef: str(f, 'workerRef') || null,
    minutes: num(f, 'durationMinutes'),
    people: kind === 'caregiver-consultation' ? num(f, 'familyMembers') : num(f, 'participants') || num(f, 'attendees'),
    peopleMinutes: num(f, 'participants') * num(f, 'durationMinutes'),
    quantity: num(f, 'quantity'),
    cents: num(f, 'totalCents'),
    categoryId: null,
    eligibleCents: null,
    ineligibleCents: null,
  };
}

/** An expenditure's fields; a new declaration or correction awaits a new verdict. */
function expenditureValues(f: Fields): Values {
  return {
    occurredOn: str(f, 'occurredOn'),
    person: null,
    targetGroup: null,
    key1: '',
    key2: '',
    workerRef: null,
    minutes: 0,
    people: 0,
    peopleMinutes: 0,
    quantity: 0,
    cents: num(f, 'amountCents'),
    categoryId: str(f, 'categoryId'),
    eligibleCents: null,
    ineligibleCents: null,
  };
}

/** One object shape for every record (spreads would build slow, shapeless objects on every event). */
export function recordWith(r: Omit<LedgerRecord, keyof Values>, v: Values): LedgerRecord {
  return {
    seq: r.seq,
    recordId: r.recordId,
    kind: r.kind,
    projectCode: r.projectCode,
    partnerId: r.partnerId,
    occurredOn: v.occurredOn,
    position: r.position,
    voided: r.voided,
    person: v.person,
    targetGroup: v.targetGroup,
    key1: v.key1,
    key2: v.key2,
    workerRef: v.workerRef,
    minutes: v.minutes,
    people: v.people,
    peopleMinutes: v.peopleMinutes,
    quantity: v.quantity,
    cents: v.cents,
    categoryId: v.categoryId,
    eligibleCents: v.eligibleCents,
    ineligibleCents: v.ineligibleCents,
  };
}

/** The record an event creates (revision 0 of an activity or expenditure stream), if it creates one. */
export function createdRecord(e: StoredEvent, recordId: string, seq: number): LedgerRecord | null {
  if (e.revision !== 0) return null;
  const d = e.data as unknown as RecordData;
  if (!d.fields) return null;
  let kind: string;
  let values: Values;
  if (ACTIVITY_RECORDED.has(e.type) && e.streamId.startsWith('activity-')) {
    kind = str(d.fields, 'kind') || 'unknown';
    values = activityValues(kind, d.fields);
  } else if (e.type === 'ExpenditureDeclared' && e.streamId.startsWith('expenditure-')) {
    kind = 'expenditure';
    values = expenditureValues(d.fields);
  } else return null;
  const base = {
    seq,
    recordId,
    kind,
    projectCode: d.projectCode ?? '',
    partnerId: d.partnerId,
    position: e.position,
    voided: false,
  };
  return recordWith(base, values);
}

/** The record after a later event of its stream; events that change no figure leave it as it was. */
export function changedRecord(r: LedgerRecord, e: StoredEvent): LedgerRecord {
  const d = e.data as unknown as RecordData;
  switch (e.type) {
    case 'ActivityCorrected':
      return d.fields && r.kind !== 'expenditure' ? recordWith(r, activityValues(r.kind, d.fields)) : r;
    case 'ActivityVoided':
    case 'ExpenditureVoided':
      return recordWith({ ...r, voided: true }, r);
    case 'ExpenditureCorrected':
      return d.fields && r.kind === 'expenditure' ? recordWith(r, expenditureValues(d.fields)) : r;
    case 'ExpenditureVerified':
      return r.kind === 'expenditure'
        ? recordWith(r, { ...r, eligibleCents: d.eligibleCents ?? 0, ineligibleCents: d.ineligibleCents ?? 0 })
        : r;
    default:
      return r;
  }
}
