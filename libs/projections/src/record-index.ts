import type Database from 'better-sqlite3';
import { isRecordEvent, type AnyEvent } from './ledger-events';
import {
  changedRecord,
  createdRecord,
  noValues,
  recordWith,
  type LedgerRecord,
  type RecordChange,
} from './ledger-record';
import {
  BY_ID,
  BY_SEQ,
  INSERT,
  INSERT_ROWS,
  RECORD_TABLE,
  RECORD_TEXT_VIEW,
  ROWS_PER_INSERT,
  UPDATE,
  readValues,
  writeValues,
  type Numberings,
  type RecordRow,
} from './record-columns';
import { RECORD_LIST_INDEXES } from './record-list-indexes';
import { SeqById } from './seq-by-id';
import type { StatementCache } from './statement-cache';

/** Activity and expenditure streams: `cls` 0 and 1 (an activity and an expenditure may share an id). */
const PREFIXES = ['activity-', 'expenditure-'] as const;
const clsOf = (streamId: string): number =>
  streamId.startsWith(PREFIXES[0]) ? 0 : streamId.startsWith(PREFIXES[1]) ? 1 : -1;

/** SQL for the code of a text in `records`' coded columns (null when no record carries it). */
export const codeOf = (param: string): string => `(select code from records_codes where text = ${param})`;

/**
 * The `records` table: one row per activity and expenditure record with its current values,
 * shared by every read model, and `records_events` with the position of every later event of a
 * record (the audit trail pages through both). Kept by the runner before the projections, which
 * receive each event's before/after record. Recipients are numbered in `records_persons`, so a
 * record row and the per-person index carry a small integer instead of a 67-character pseudonym;
 * the few distinct texts (kind, project, partner, and the coded columns of record-columns.ts) are
 * numbered in `records_codes` the same way: rows and indexes hold integers, which a replay writes
 * and sorts faster. `records_text` shows the rows with their texts.
 *
 * A replay from position 0 runs in bulk: records are appended without their indexes (built in one
 * pass at the end) and later events of a record find it through an in-memory hash of its key.
 */
export class RecordIndex {
  static readonly NAME = 'records';
  static readonly VERSION = 10;
  static readonly TABLES = ['records', 'records_persons', 'records_codes', 'records_events'] as const;
  static readonly SCHEMA = `
    ${RECORD_TABLE}
    create table if not exists records_persons (person_no integer primary key, pseudonym text not null unique);
    create table if not exists records_codes (code integer primary key, text text not null unique);
    create table if not exists records_events (position integer primary key, seq integer not null);
    ${RECORD_TEXT_VIEW}
  `;
  /** Kept during a bulk replay too: a record's id stays unique. */
  static readonly BULK_INDEXES = `create unique index if not exists records_id on records (record_id, cls);`;
  /**
   * The persons' refresh looks their services up by person: kept during a bulk replay only when the
   * refresh reads SQL there (not in memory, persons-reached-bulk.ts).
   */
  static readonly PERSON_INDEX = `create index if not exists records_person on records (person_no, project_code, occurred_on, position)
      where voided = 0 and person_no is not null;`;
  /** records_events_record: the later events of the records in an audit scope, without a scan. */
  static readonly INDEXES = `
    ${RecordIndex.BULK_INDEXES}
    ${RecordIndex.PERSON_INDEX}
    create index if not exists records_scope on records (project_code, kind, partner_id, position);
    create index if not exists records_events_record on records_events (seq, position);
    ${RECORD_LIST_INDEXES}
  `;

  /** Recipients' numbers: as many as there are persons, not records. */
  private readonly persons: Numbering;
  /** Codes of the coded columns' texts: a few hundred. */
  private readonly codes: Numbering;

  constructor(private readonly sql: StatementCache) {
    this.persons = new Numbering(sql, 'records_persons', 'person_no', 'pseudonym');
    this.codes = new Numbering(sql, 'records_codes', 'code', 'text');
    this.numberings = { persons: this.persons, codes: this.codes };
  }

  private readonly numberings: Numberings;

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

  /**
   * Creates the tables (and, unless a bulk replay starts, their indexes). `personsInMemory`: the
   * bulk replay refreshes the persons from memory, so their index waits for the end too.
   */
  prepare(bulk: boolean, personsInMemory = false): void {
    this.db.exec(RecordIndex.SCHEMA);
    this.discard();
    // In bulk, the rest are built at the end.
    this.db.exec(
      bulk ? `${RecordIndex.BULK_INDEXES}${personsInMemory ? '' : RecordIndex.PERSON_INDEX}` : RecordIndex.INDEXES,
    );
    if (bulk) {
      this.bulk = new SeqById();
      this.nextSeq = (this.sql.prepare('select coalesce(max(seq), 0) + 1 as n from records').get() as { n: number }).n;
    }
  }

  /** The record change an event makes, or null if it makes none. */
  change(e: AnyEvent): RecordChange | null {
    const cls = clsOf(e.streamId);
    if (cls < 0) return null;
    const recordId = e.streamId.slice(PREFIXES[cls]!.length);
    if (e.revision === 0) {
      if (!isRecordEvent(e)) return null;
      const created = createdRecord(e, recordId, 0);
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
        created.recordedAt,
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

  /** The number of a text in `records_codes` (given one if it has none). */
  codeOf(text: string): number {
    return this.codes.numberOf(text);
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
    writeValues(r, row, this.numberings);
  }

  private fromRow(r: RecordRow): LedgerRecord {
    const record = recordWith(
      {
        seq: Number(r.seq),
        recordId: String(r.record_id),
        kind: this.codes.textOf(Number(r.kind)),
        projectCode: this.codes.textOf(Number(r.project_code)),
        partnerId: this.codes.textOf(Number(r.partner_id)),
        position: Number(r.position),
        recordedAt: String(r.recorded_at),
        voided: false,
        reportedIn: null,
      },
      noValues(),
    );
    readValues(r, record, this.numberings);
    return record;
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
