import type Database from 'better-sqlite3';
import { isRecordEvent, type AnyEvent } from './ledger-events';
import { changedRecord, createdRecord, recordWith, type LedgerRecord, type RecordChange } from './ledger-record';
import { SeqById } from './seq-by-id';
import type { StatementCache } from './statement-cache';

/** A `records` row as read back: texts still as their codes (decoded in JS, not by seven joins). */
interface RecordRow {
  seq: number;
  cls: number;
  record_id: string;
  kind: number;
  project_code: number;
  partner_id: number;
  occurred_on: string;
  position: number;
  voided: number;
  person: string | null;
  target_group: number | null;
  key1: number;
  key2: number;
  worker_ref: number | null;
  minutes: number;
  people: number;
  people_minutes: number;
  quantity: number;
  cents: number;
  category_id: number | null;
  eligible_cents: number | null;
  ineligible_cents: number | null;
}

/** Activity and expenditure streams: `cls` 0 and 1 (an activity and an expenditure may share an id). */
const PREFIXES = ['activity-', 'expenditure-'] as const;
const clsOf = (streamId: string): number =>
  streamId.startsWith(PREFIXES[0]) ? 0 : streamId.startsWith(PREFIXES[1]) ? 1 : -1;

const MUTABLE =
  'occurred_on, voided, person_no, target_group, key1, key2, worker_ref, minutes, people, people_minutes, quantity, ' +
  'cents, category_id, eligible_cents, ineligible_cents';
const INSERT = `insert into records (cls, record_id, kind, project_code, partner_id, position, ${MUTABLE})
  values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
/** A bulk replay writes its rows (with their seq) this many to a statement: fewer calls, ~20% faster here. */
const ROWS_PER_INSERT = 16;
const ROW = `(${Array(22).fill('?').join(', ')})`;
/** The INSERT for n held-back rows, n = 1..ROWS_PER_INSERT (index n). */
const INSERT_ROWS = Array.from(
  { length: ROWS_PER_INSERT + 1 },
  (_, n) =>
    `insert into records (seq, cls, record_id, kind, project_code, partner_id, position, ${MUTABLE})
     values ${Array(n).fill(ROW).join(', ')}`,
);
const UPDATE = `update records set (${MUTABLE}) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) where seq = ?`;
const SELECT = 'select r.*, p.pseudonym as person from records r left join records_persons p using (person_no)';
const BY_ID = `${SELECT} where r.record_id = ? and r.cls = ?`;
const BY_SEQ = `${SELECT} where r.seq = ?`;

/** SQL for the code of a text in `records`' coded columns (null when no record carries it). */
export const codeOf = (param: string): string => `(select code from records_codes where text = ${param})`;

/**
 * The `records` table: one row per activity and expenditure record with its current values,
 * shared by every read model, and `records_events` with the position of every later event of a
 * record (the audit trail pages through both). Kept by the runner before the projections, which
 * receive each event's before/after record. Recipients are numbered in `records_persons`, so a
 * record row and the per-person index carry a small integer instead of a 67-character pseudonym;
 * the few distinct texts (kind, project, partner, target group, keys, worker, category) are
 * numbered in `records_codes` the same way: rows and indexes hold integers, which a replay writes
 * and sorts faster. `records_text` shows the rows with their texts.
 *
 * A replay from position 0 runs in bulk: records are appended without their indexes (built in one
 * pass at the end) and later events of a record find it through an in-memory hash of its key.
 */
export class RecordIndex {
  static readonly NAME = 'records';
  static readonly VERSION = 5;
  static readonly TABLES = ['records', 'records_persons', 'records_codes', 'records_events'] as const;
  static readonly SCHEMA = `
    create table if not exists records (
      seq integer primary key, cls integer not null, record_id text not null, kind integer not null,
      project_code integer not null, partner_id integer not null, position integer not null,
      occurred_on text not null, voided integer not null, person_no integer, target_group integer,
      key1 integer not null, key2 integer not null, worker_ref integer, minutes integer not null,
      people integer not null, people_minutes integer not null, quantity integer not null, cents integer not null,
      category_id integer, eligible_cents integer, ineligible_cents integer
    );
    create table if not exists records_persons (person_no integer primary key, pseudonym text not null unique);
    create table if not exists records_codes (code integer primary key, text text not null unique);
    create table if not exists records_events (position integer primary key, seq integer not null);
    create view if not exists records_text as
      select r.seq, r.cls, r.record_id, kind.text as kind, project.text as project_code, partner.text as partner_id,
        r.position, r.occurred_on, r.voided, r.person_no, target.text as target_group, key1.text as key1,
        key2.text as key2, worker.text as worker_ref, r.minutes, r.people, r.people_minutes, r.quantity, r.cents,
        category.text as category_id, r.eligible_cents, r.ineligible_cents
      from records r
        join records_codes kind on kind.code = r.kind
        join records_codes project on project.code = r.project_code
        join records_codes partner on partner.code = r.partner_id
        left join records_codes target on target.code = r.target_group
        join records_codes key1 on key1.code = r.key1
        join records_codes key2 on key2.code = r.key2
        left join records_codes worker on worker.code = r.worker_ref
        left join records_codes category on category.code = r.category_id;
  `;
  /** records_events_record: the later events of the records in an audit scope, without a scan. */
  static readonly INDEXES = `
    create unique index if not exists records_id on records (record_id, cls);
    create index if not exists records_person on records (person_no, project_code, occurred_on, position)
      where voided = 0 and person_no is not null;
    create index if not exists records_scope on records (project_code, kind, partner_id, position);
    create index if not exists records_events_record on records_events (seq, position);
  `;
  private static readonly INDEX_NAMES = ['records_id', 'records_person', 'records_scope', 'records_events_record'];

  /** Recipients' numbers: as many as there are persons, not records. */
  private readonly persons: Numbering;
  /** Codes of the coded columns' texts: a few hundred. */
  private readonly codes: Numbering;

  constructor(private readonly sql: StatementCache) {
    this.persons = new Numbering(sql, 'records_persons', 'person_no', 'pseudonym');
    this.codes = new Numbering(sql, 'records_codes', 'code', 'text');
  }

  private get db(): Database.Database {
    return this.sql.db;
  }

  /** Set during a bulk replay only. */
  private bulk: SeqById | null = null;
  /** Bulk only: the next record's seq, and rows not yet written (their values one after another). */
  private nextSeq = 1;
  private pendingRows: unknown[] = [];
  private pendingCount = 0;
  /** Recipients' numbers: as many as there are persons, not records. */
  get inBulk(): boolean {
    return this.bulk !== null;
  }

  /** Creates the tables (and, unless a bulk replay starts, their indexes). */
  prepare(bulk: boolean): void {
    this.db.exec(RecordIndex.SCHEMA);
    this.discard();
    if (bulk) {
      for (const name of RecordIndex.INDEX_NAMES) this.db.exec(`drop index if exists ${name}`);
      this.bulk = new SeqById();
      this.nextSeq = (this.sql.prepare('select coalesce(max(seq), 0) + 1 as n from records').get() as { n: number }).n;
    } else this.db.exec(RecordIndex.INDEXES);
  }

  /** The record change an event makes, or null if it makes none. */
  change(e: AnyEvent): RecordChange | null {
    const cls = clsOf(e.streamId);
    if (cls < 0) return null;
    const recordId = e.streamId.slice(PREFIXES[cls]!.length);
    if (e.revision === 0) {
      if (!isRecordEvent(e)) return null;
      const created = createdRecord(e, recordId, 0) as { -readonly [K in keyof LedgerRecord]: LedgerRecord[K] } | null;
      if (!created) return null;
      // In bulk the row joins the held-back rows with its seq; live, SQLite gives the seq. (Numbering
      // never writes the held-back rows, so appending to them directly is safe.)
      const row = this.bulk ? this.pendingRows : [];
      if (this.bulk) row.push((created.seq = this.nextSeq++));
      row.push(
        cls,
        recordId,
        this.codes.numberOf(created.kind),
        this.codes.numberOf(created.projectCode),
        this.codes.numberOf(created.partnerId),
        created.position,
      );
      this.pushMutable(created, row);
      if (this.bulk) {
        if (++this.pendingCount === ROWS_PER_INSERT) this.writePending();
        this.bulk.add(e.streamId, created.seq);
      } else created.seq = Number(this.sql.prepare(INSERT).run(row).lastInsertRowid);
      return { before: null, after: created };
    }
    const before = this.find(e.streamId, cls, recordId);
    if (!before) return null;
    this.sql.prepare('insert or ignore into records_events values (?, ?)').run(e.position, before.seq);
    // Every later event is in the record's audit trail; only some change it.
    const after = isRecordEvent(e) ? changedRecord(before, e) : before;
    if (after !== before) {
      const args: unknown[] = [];
      this.pushMutable(after, args);
      args.push(after.seq);
      this.sql.prepare(UPDATE).run(args);
    }
    return { before, after };
  }

  /** At the end of a bulk replay: the indexes, built once over the whole table. */
  buildIndexes(): void {
    this.writePending();
    // SQLite's sorter may use helper threads: the index builds are the rebuild's last, serial step.
    const threads = this.db.pragma('threads', { simple: true }) as number;
    this.db.pragma('threads = 2');
    try {
      this.db.exec(RecordIndex.INDEXES);
    } finally {
      this.db.pragma(`threads = ${threads}`);
    }
  }

  /** Once the end of the bulk replay is committed: lookups go through the indexes again. */
  endBulk(): void {
    this.bulk = null;
  }

  private find(streamId: string, cls: number, recordId: string): LedgerRecord | null {
    if (!this.bulk) {
      const row = this.sql.prepare(BY_ID).get(recordId, cls) as RecordRow | undefined;
      return row ? this.fromRow(row) : null;
    }
    this.writePending();
    let found: LedgerRecord | null = null;
    this.bulk.find(streamId, (seq) => {
      const row = this.sql.prepare(BY_SEQ).get(seq) as RecordRow;
      if (row.cls !== cls || row.record_id !== recordId) return false;
      found = this.fromRow(row);
      return true;
    });
    return found;
  }

  private pushMutable(r: LedgerRecord, row: unknown[]): void {
    row.push(
      r.occurredOn,
      r.voided ? 1 : 0,
      r.person === null ? null : this.persons.numberOf(r.person),
      r.targetGroup === null ? null : this.codes.numberOf(r.targetGroup),
      this.codes.numberOf(r.key1),
      this.codes.numberOf(r.key2),
      r.workerRef === null ? null : this.codes.numberOf(r.workerRef),
      r.minutes,
      r.people,
      r.peopleMinutes,
      r.quantity,
      r.cents,
      r.categoryId === null ? null : this.codes.numberOf(r.categoryId),
      r.eligibleCents,
      r.ineligibleCents,
    );
  }

  private fromRow(r: RecordRow): LedgerRecord {
    const maybe = (code: number | null) => (code === null ? null : this.codes.textOf(code));
    return recordWith(
      {
        seq: r.seq,
        recordId: r.record_id,
        kind: this.codes.textOf(r.kind),
        projectCode: this.codes.textOf(r.project_code),
        partnerId: this.codes.textOf(r.partner_id),
        position: r.position,
        voided: r.voided === 1,
      },
      {
        occurredOn: r.occurred_on,
        person: r.person,
        targetGroup: maybe(r.target_group),
        key1: this.codes.textOf(r.key1),
        key2: this.codes.textOf(r.key2),
        workerRef: maybe(r.worker_ref),
        minutes: r.minutes,
        people: r.people,
        peopleMinutes: r.people_minutes,
        quantity: r.quantity,
        cents: r.cents,
        categoryId: maybe(r.category_id),
        eligibleCents: r.eligible_cents,
        ineligibleCents: r.ineligible_cents,
      },
    );
  }

  /** Bulk: writes the rows still held back. Before anything reads `records` and before a commit. */
  writePending(): void {
    if (this.pendingCount === 0) return;
    this.sql.prepare(INSERT_ROWS[this.pendingCount]!).run(this.pendingRows);
    this.discardPending();
  }

  private discardPending(): void {
    this.pendingRows = [];
    this.pendingCount = 0;
  }

  /** Forgets cached numbers and held-back rows (their transaction was rolled back). */
  discard(): void {
    this.persons.clear();
    this.codes.clear();
    this.discardPending();
  }
}

/**
 * Texts numbered in a two-column table (number, unique text), cached both ways. A number is given
 * inside the caller's transaction: if it rolls back, `clear` must forget it (SQLite may give the
 * same number to another text next time).
 */
class Numbering {
  private readonly numbers = new Map<string, number>();
  private readonly texts = new Map<number, string>();
  private readonly insert: string;
  private readonly byText: string;
  private readonly byNumber: string;

  constructor(
    private readonly sql: StatementCache,
    table: string,
    numberColumn: string,
    textColumn: string,
  ) {
    this.insert = `insert or ignore into ${table} (${textColumn}) values (?)`;
    this.byText = `select ${numberColumn} as n from ${table} where ${textColumn} = ?`;
    this.byNumber = `select ${textColumn} as t from ${table} where ${numberColumn} = ?`;
  }

  numberOf(text: string): number {
    let n = this.numbers.get(text);
    if (n === undefined) {
      this.sql.prepare(this.insert).run(text);
      n = (this.sql.prepare(this.byText).get(text) as { n: number }).n;
      this.numbers.set(text, n);
      this.texts.set(n, text);
    }
    return n;
  }

  textOf(n: number): string {
    let text = this.texts.get(n);
    if (text === undefined) {
      text = (this.sql.prepare(this.byNumber).get(n) as { t: string }).t;
      this.texts.set(n, text);
    }
    return text;
  }

  clear(): void {
    this.numbers.clear();
    this.texts.clear();
  }
}
