import type { StoredEvent } from '@ihl/event-store';

/**
 * An activity or expenditure record as the figures see it: current values (corrections applied),
 * voided or not, the finance verdict. One row per record, shared by every read model, so a
 * rebuild writes each record once instead of once per figure.
 */
export interface LedgerRecord {
  /** Creation order (the row's integer key): records arrive in log order, so inserts append. */
  readonly seq: number;
  readonly streamId: string;
  /** The activity or expenditure id. */
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

export const ACTIVITY_RECORDED = new Set([
  'ServiceDelivered',
  'CaregiverConsultationHeld',
  'PsychologicalSupportProvided',
  'TrainingHeld',
  'EquipmentProcured',
  'InformalHelpEventHeld',
]);

type Fields = Record<string, unknown>;
interface RecordData {
  activityId?: string;
  expenditureId?: string;
  projectCode?: string;
  partnerId: string;
  fields?: Fields;
  eligibleCents?: number;
  ineligibleCents?: number;
}

const num = (f: Fields, k: string) => (typeof f[k] === 'number' ? (f[k] as number) : 0);
const str = (f: Fields, k: string) => (typeof f[k] === 'string' ? (f[k] as string) : '');

/** What an activity's fields mean for the figures. */
function activityValues(kind: string, f: Fields) {
  const keys: Record<string, [string, string]> = {
    'service-delivered': [str(f, 'service'), str(f, 'setting')],
    'psychological-support': [str(f, 'recipientKind'), ''],
    'equipment-procured': [str(f, 'category'), ''],
    'promotion-event': [str(f, 'audience'), ''],
  };
  const [key1, key2] = keys[kind] ?? ['', ''];
  const service = kind === 'service-delivered';
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
  };
}

function expenditureValues(f: Fields) {
  return {
    occurredOn: str(f, 'occurredOn'),
    cents: num(f, 'amountCents'),
    categoryId: str(f, 'categoryId'),
    eligibleCents: null,
    ineligibleCents: null,
  };
}

const NONE = {
  person: null,
  targetGroup: null,
  key1: '',
  key2: '',
  workerRef: null,
  minutes: 0,
  people: 0,
  peopleMinutes: 0,
  quantity: 0,
  cents: 0,
  categoryId: null,
  eligibleCents: null,
  ineligibleCents: null,
};

/** The record an event creates (revision 0 of an activity or expenditure stream), if it creates one. */
export function createdRecord(e: StoredEvent, seq: number): LedgerRecord | null {
  if (e.revision !== 0) return null;
  const d = e.data as unknown as RecordData;
  const base = {
    seq,
    streamId: e.streamId,
    projectCode: d.projectCode ?? '',
    partnerId: d.partnerId,
    position: e.position,
    voided: false,
  };
  if (ACTIVITY_RECORDED.has(e.type) && d.activityId && d.fields) {
    const kind = str(d.fields, 'kind') || 'unknown';
    return { ...NONE, ...base, recordId: d.activityId, kind, ...activityValues(kind, d.fields) };
  }
  if (e.type === 'ExpenditureDeclared' && d.expenditureId && d.fields)
    return { ...NONE, ...base, recordId: d.expenditureId, kind: 'expenditure', ...expenditureValues(d.fields) };
  return null;
}

/** The record after a later event of its stream; events that change no figure leave it as it was. */
export function changedRecord(r: LedgerRecord, e: StoredEvent): LedgerRecord {
  const d = e.data as unknown as RecordData;
  switch (e.type) {
    case 'ActivityCorrected':
      return d.fields && r.kind !== 'expenditure' ? { ...r, ...activityValues(r.kind, d.fields) } : r;
    case 'ActivityVoided':
    case 'ExpenditureVoided':
      return { ...r, voided: true };
    case 'ExpenditureCorrected':
      // New values need a new verification.
      return d.fields && r.kind === 'expenditure' ? { ...r, ...expenditureValues(d.fields) } : r;
    case 'ExpenditureVerified':
      return r.kind === 'expenditure'
        ? { ...r, eligibleCents: d.eligibleCents ?? 0, ineligibleCents: d.ineligibleCents ?? 0 }
        : r;
    default:
      return r;
  }
}

/** Streams whose events are records' events. */
export const isRecordStream = (streamId: string): boolean =>
  streamId.startsWith('activity-') || streamId.startsWith('expenditure-');
