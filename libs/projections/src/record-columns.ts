import type { LedgerRecord, RecordReview, RecordValues } from './ledger-record';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/** A `records` row as SQLite hands it back. */
export type RecordRow = Readonly<Record<string, string | number | null>>;

/** Numbers for texts (see RecordIndex): persons (`records_persons`) and the other repeated texts (`records_codes`). */
export interface Numberings {
  readonly persons: { numberOf(text: string): number };
  readonly codes: { numberOf(text: string): number; textOf(n: number): string };
}

/** How one field is stored: its SQL type and its value to and from the row. */
interface Codec<T> {
  readonly sqlType: string;
  encode(value: T, n: Numberings): string | number | null;
  decode(raw: string | number | null, n: Numberings): T;
}

const text: Codec<string> = { sqlType: 'text not null', encode: (v) => v, decode: (raw) => String(raw) };
const int: Codec<number> = { sqlType: 'integer not null', encode: (v) => v, decode: (raw) => Number(raw) };
const intOrNull: Codec<number | null> = {
  sqlType: 'integer',
  encode: (v) => v,
  decode: (raw) => (raw === null ? null : Number(raw)),
};
const bool: Codec<boolean> = { sqlType: 'integer not null', encode: (v) => (v ? 1 : 0), decode: (raw) => raw === 1 };
const textOrNull: Codec<string | null> = {
  sqlType: 'text',
  encode: (v) => v,
  decode: (raw) => (raw === null ? null : String(raw)),
};
/** Stored as a small integer, so the partial indexes of the verification queue can name `review = 0`. */
export const REVIEW_NUMBERS: Readonly<Record<RecordReview, number>> = { pending: 0, verified: 1, rejected: 2 };
const REVIEWS = Object.keys(REVIEW_NUMBERS) as RecordReview[];
const review: Codec<RecordReview> = {
  sqlType: 'integer not null',
  encode: (v) => REVIEW_NUMBERS[v],
  decode: (raw) => REVIEWS[Number(raw)] ?? 'pending',
};
/** A text from a small set (a kind, a key, a category): stored as its number in `records_codes`. */
const coded: Codec<string | null> = {
  sqlType: 'integer',
  encode: (v, n) => (v === null ? null : n.codes.numberOf(v)),
  decode: (raw, n) => (raw === null ? null : n.codes.textOf(Number(raw))),
};
/** A recipient's pseudonym: stored as its number in `records_persons`; read back joined (see SELECT). */
const person: Codec<string | null> = {
  sqlType: 'integer',
  encode: (v, n) => (v === null ? null : n.persons.numberOf(v)),
  decode: (raw) => (raw === null ? null : String(raw)),
};

export interface RecordColumn {
  /** The column in `records`. */
  readonly name: string;
  readonly sqlType: string;
  /** Numbered in `records_codes`: `records_text` shows its text. */
  readonly coded: boolean;
  /** The column as read by SELECT (a person's pseudonym comes joined, under another name). */
  readonly readAs: string;
  write(record: RecordValues, row: unknown[], n: Numberings): void;
  read(row: RecordRow, into: Mutable<RecordValues>, n: Numberings): void;
}

function column<K extends keyof RecordValues>(
  field: K,
  name: string,
  codec: Codec<RecordValues[K]>,
  readAs = name,
): RecordColumn {
  return {
    name,
    sqlType: codec.sqlType,
    coded: codec === coded,
    readAs,
    write: (record, row, n) => void row.push(codec.encode(record[field], n)),
    read: (row, into, n) => {
      into[field] = codec.decode(row[readAs] ?? null, n);
    },
  };
}

/**
 * The columns of a record that its events may change, one per `RecordValues` field: the table, the
 * statements, the `records_text` view and the row reading are all made from this list, so a field a
 * figure needs is added here, in `RecordValues`, and where ledger-record.ts computes it. A column
 * says what it holds (no column whose meaning depends on the kind).
 */
export const RECORD_COLUMNS: readonly RecordColumn[] = [
  column('occurredOn', 'occurred_on', text),
  column('voided', 'voided', bool),
  column('person', 'person_no', person, 'person'),
  column('targetGroup', 'target_group', coded),
  column('service', 'service', coded),
  column('setting', 'setting', coded),
  column('recipientKind', 'recipient_kind', coded),
  column('equipmentCategory', 'equipment_category', coded),
  column('audience', 'audience', coded),
  column('workerRef', 'worker_ref', coded),
  column('startMinute', 'start_minute', intOrNull),
  column('endMinute', 'end_minute', intOrNull),
  column('minutes', 'minutes', int),
  column('people', 'people', int),
  column('peopleMinutes', 'people_minutes', int),
  column('quantity', 'quantity', int),
  column('cents', 'cents', int),
  column('categoryId', 'category_id', coded),
  column('eligibleCents', 'eligible_cents', intOrNull),
  column('ineligibleCents', 'ineligible_cents', intOrNull),
  column('review', 'review', review),
  column('documentRef', 'document_ref', textOrNull),
  column('verdictNote', 'verdict_note', textOrNull),
  column('reportedIn', 'reported_in', textOrNull),
  column('ineligibleReason', 'ineligible_reason', coded),
];

/** The columns set once, when the record is created. */
export const FIXED_COLUMNS = 'cls, record_id, kind, project_code, partner_id, position, recorded_at';
const FIXED_COUNT = 7;
export const MUTABLE_COLUMNS = RECORD_COLUMNS.map((c) => c.name).join(', ');
const placeholders = (n: number) => Array(n).fill('?').join(', ');

export const RECORD_TABLE = `
  create table if not exists records (
    seq integer primary key, cls integer not null, record_id text not null, kind integer not null,
    project_code integer not null, partner_id integer not null, position integer not null,
    recorded_at text not null,
    ${RECORD_COLUMNS.map((c) => `${c.name} ${c.sqlType}`).join(', ')}
  );`;

/** `records` with its texts instead of their numbers. */
export const RECORD_TEXT_VIEW = `
  create view if not exists records_text as
    select r.seq, r.cls, r.record_id, kind.text as kind, project.text as project_code, partner.text as partner_id,
      r.position, r.recorded_at, ${RECORD_COLUMNS.map((c) => (c.coded ? `c_${c.name}.text as ${c.name}` : `r.${c.name}`)).join(', ')}
    from records r
      join records_codes kind on kind.code = r.kind
      join records_codes project on project.code = r.project_code
      join records_codes partner on partner.code = r.partner_id
      ${RECORD_COLUMNS.filter((c) => c.coded)
        .map((c) => `left join records_codes c_${c.name} on c_${c.name}.code = r.${c.name}`)
        .join('\n      ')};`;

export const INSERT = `insert into records (${FIXED_COLUMNS}, ${MUTABLE_COLUMNS})
  values (${placeholders(FIXED_COUNT + RECORD_COLUMNS.length)})`;
/** A bulk replay writes its rows (with their seq) this many to a statement: fewer calls, ~20% faster here. */
export const ROWS_PER_INSERT = 16;
const ROW = `(${placeholders(1 + FIXED_COUNT + RECORD_COLUMNS.length)})`;
/** The INSERT for n held-back rows, n = 1..ROWS_PER_INSERT (index n). */
export const INSERT_ROWS = Array.from(
  { length: ROWS_PER_INSERT + 1 },
  (_, n) => `insert into records (seq, ${FIXED_COLUMNS}, ${MUTABLE_COLUMNS}) values ${Array(n).fill(ROW).join(', ')}`,
);
export const UPDATE = `update records set (${MUTABLE_COLUMNS}) = (${placeholders(RECORD_COLUMNS.length)}) where seq = ?`;
const SELECT = 'select r.*, p.pseudonym as person from records r left join records_persons p using (person_no)';
export const BY_ID = `${SELECT} where r.record_id = ? and r.cls = ?`;
export const BY_SEQ = `${SELECT} where r.seq = ?`;

/** Appends a record's changeable values to a statement's arguments, in column order. */
export function writeValues(record: LedgerRecord, row: unknown[], n: Numberings): void {
  for (const c of RECORD_COLUMNS) c.write(record, row, n);
}

/** Reads a record's changeable values back from its row. */
export function readValues(row: RecordRow, into: Mutable<RecordValues>, n: Numberings): void {
  for (const c of RECORD_COLUMNS) c.read(row, into, n);
}
