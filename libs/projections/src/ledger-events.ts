import type {
  ActivityEvent,
  AlertEvent,
  CertificationEvent,
  ClaimEvent,
  ExpenditureEvent,
  InspectionEvent,
  PersonEvent,
  ProjectEvent,
  SurveyEvent,
} from '@ihl/domain';
import type { StoredEvent } from '@ihl/event-store';

/** Where an event sits in the log: what a projection gets besides the event's type and data. */
export type EventEnvelope = Pick<
  StoredEvent,
  'position' | 'streamId' | 'revision' | 'eventId' | 'metadata' | 'recordedAt'
>;

/** Any event as the runner hands it over, upcast to its latest shape (for projections of every type). */
export interface AnyEvent extends EventEnvelope {
  readonly type: string;
  readonly data: unknown;
}

/** The ledger's domain events, with their data types (from libs/domain). */
export type LedgerDomainEvent =
  | ActivityEvent
  | ExpenditureEvent
  | PersonEvent
  | ProjectEvent
  | AlertEvent
  | ClaimEvent
  | InspectionEvent
  | CertificationEvent
  | SurveyEvent;
export type LedgerEventType = LedgerDomainEvent['type'];

/**
 * The ledger's events of the types `T`, as a projection receives them: a discriminated union on
 * `type`, so a `switch (event.type)` gives each case its own data type. (An event type shared by
 * several domain events, as the six recorded activities share one, is split into one member per type.)
 */
export type LedgerEvent<T extends LedgerEventType = LedgerEventType> = T extends unknown
  ? LedgerDomainEvent extends infer E
    ? E extends { readonly type: infer U; readonly data: infer D }
      ? T extends U
        ? EventEnvelope & { readonly type: T; readonly data: D }
        : never
      : never
    : never
  : never;

/** The events that create or change an activity or expenditure record (the shared `records` table). */
export const RECORD_EVENT_TYPES = [
  'ServiceDelivered',
  'CaregiverConsultationHeld',
  'PsychologicalSupportProvided',
  'TrainingHeld',
  'EquipmentProcured',
  'InformalHelpEventHeld',
  'ActivityCorrected',
  'ActivityVoided',
  'ActivityVerified',
  'ActivityRejected',
  'ExpenditureDeclared',
  'ExpenditureCorrected',
  'ExpenditureVoided',
  'ExpenditureVerified',
] as const satisfies readonly LedgerEventType[];
export type RecordEventType = (typeof RECORD_EVENT_TYPES)[number];
export type RecordEvent = LedgerEvent<RecordEventType>;

const RECORD_TYPES: ReadonlySet<string> = new Set(RECORD_EVENT_TYPES);

/** An event the records table reads; its data is trusted to be of its type's shape (the log holds only those). */
export function isRecordEvent(e: AnyEvent): e is RecordEvent {
  return RECORD_TYPES.has(e.type);
}
