/** The shapes of the record lists, shared by the read model that answers them and the queries that ask. */
/** A record's state in the lists: its review, or voided (whatever its review was). */
export type RecordState = 'pending' | 'verified' | 'rejected' | 'voided';
export const RECORD_STATES: readonly RecordState[] = ['pending', 'verified', 'rejected', 'voided'];

/** `recorded`: creation order; `date`: occurrence or document date, then creation order; `-`: newest first. */
export type RecordSort = 'recorded' | '-recorded' | 'date' | '-date';
export const RECORD_SORTS: readonly RecordSort[] = ['recorded', '-recorded', 'date', '-date'];

/** Where a page ends: the last row's seq, position and date (opaque to clients: the API encodes it). */
export interface RecordCursor {
  readonly seq: number;
  readonly position: number;
  readonly date: string;
}

export interface RecordListFilter {
  readonly projectCode: string;
  readonly records: 'activities' | 'expenditures';
  readonly partnerId?: string | undefined;
  readonly kind?: string | undefined;
  readonly categoryId?: string | undefined;
  readonly state?: RecordState | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  /**
   * With `from`/`to` (its days): the records a reporting period's report takes, the ones dated in it
   * that are no late entry and the late entries reported in it (docs/finance.md).
   */
  readonly reportedPeriod?: string | undefined;
  readonly workerRef?: string | undefined;
  readonly documentRef?: string | undefined;
  /** A recipient's pseudonym (never a personal code). */
  readonly person?: string | undefined;
}

/** One record in a list: what it holds, money in cents, no recipient (not even a pseudonym). */
export interface ListedRecord {
  readonly id: string;
  readonly kind: string;
  readonly partnerId: string;
  readonly occurredOn: string;
  readonly position: number;
  readonly recordedAt: string;
  readonly state: RecordState;
  readonly service: string | null;
  readonly setting: string | null;
  readonly targetGroup: string | null;
  readonly workerRef: string | null;
  readonly minutes: number;
  readonly people: number;
  readonly quantity: number;
  readonly categoryId: string | null;
  readonly documentRef: string | null;
  /** Equipment cost, or an expenditure's declared amount. */
  readonly amountCents: number;
  readonly eligibleCents: number | null;
  readonly ineligibleCents: number | null;
  readonly verdictNote: string | null;
  /** A late entry's reported period; absent on every other record. */
  readonly reportedIn?: string;
  /** The code of the verdict's reason for an ineligible amount; absent when none was given. */
  readonly ineligibleReason?: string;
}

export type QueuedRecord = ListedRecord & { readonly record: 'activity' | 'expenditure' };

export interface RecordPage<T> {
  readonly records: T[];
  readonly next: RecordCursor | null;
  /** The cursor of the page before (a list walked both ways); null on the first. */
  readonly prev?: RecordCursor | null;
}
