import type Database from 'better-sqlite3';
import type { StoredEvent } from '@ihl/event-store';
import { changedRecord, createdRecord, isRecordStream, type LedgerRecord, type RecordChange } from './ledger-record';
import { statement } from './statement-cache';

interface RecordRow {
  seq: number;
  stream_id: string;
  record_id: string;
  kind: string;
  project_code: string;
  partner_id: string;
  occurred_on: string;
  position: number;
  voided: number;
  person: string | null;
  target_group: string | null;
  key1: string;
  key2: string;
  worker_ref: string | null;
  minutes: number;
  people: number;
  people_minutes: number;
  quantity: number;
  cents: number;
  category_id: string | null;
  eligible_cents: number | null;
  ineligible_cents: number | null;
}

const COLUMNS =
  'stream_id, record_id, kind, project_code, partner_id, occurred_on, position, voided, person, target_group, key1, key2, ' +
  'worker_ref, minutes, people, people_minutes, quantity, cents, category_id, eligible_cents, ineligible_cents';

/** An event was put aside by a bulk rebuild; it is applied when the rebuild finishes. */
export const DEFERRED = Symbol('deferred');

/**
 * The `records` table: one row per activity and expenditure record with its current values, and
 * `records_events` with the position of every later event of a record (the audit trail pages
 * through both). Kept by the runner, before the projections, which receive each event's
 * before/after record.
 *
 * A rebuild from position 0 runs in bulk: records are appended without their secondary indexes,
 * and later events of a record (corrections, voids, verdicts: a few percent of the log) are put
 * aside in `records_deferred`; `finishBulk` builds the indexes in one sort and then applies the
 * set-aside events in log order. Every figure is a sum over records or a function of their final
 * state, so applying a record's later events after other records' creations changes no figure.
 */
export class RecordIndex {
  static readonly NAME = 'records';
  static readonly VERSION = 1;
  static readonly TABLES = ['records', 'records_events', 'records_deferred'] as const;
  static readonly SCHEMA = `
    create table if not exists records (
      seq integer primary key, stream_id text not null, record_id text not null, kind text not null,
      project_code text not null, partner_id text not null, occurred_on text not null, position integer not null,
      voided integer not null, person text, target_group text, key1 text not null, key2 text not null, worker_ref text,
      minutes integer not null, people integer not null, people_minutes integer not null, quantity integer not null,
      cents integer not null, category_id text, eligible_cents integer, ineligible_cents integer
    );
    create table if not exists records_events (position integer primary key, seq integer not null);
    create table if not exists records_deferred (position integer primary key, event text not null);
  `;
  static readonly INDEXES = `
    create unique index if not exists records_stream on records (stream_id);
    create index if not exists records_person on records (project_code, person, voided, occurred_on, position) where person is not null;
    create index if not exists records_scope on records (project_code, kind, partner_id);
  `;
  private static readonly INDEX_NAMES = ['records_stream', 'records_person', 'records_scope'];

  private bulk = false;

  get inBulk(): boolean {
    return this.bulk;
  }

  /** Creates the tables (and, unless a bulk rebuild is under way, their indexes). */
  prepare(db: Database.Database, bulk: boolean): void {
    db.exec(RecordIndex.SCHEMA);
    this.bulk = bulk;
    if (bulk) for (const name of RecordIndex.INDEX_NAMES) db.exec(`drop index if exists ${name}`);
    else db.exec(RecordIndex.INDEXES);
  }

  /** The record change an event makes, null if it makes none, DEFERRED if a bulk rebuild set it aside. */
  change(db: Database.Database, e: StoredEvent): RecordChange | null | typeof DEFERRED {
    if (!isRecordStream(e.streamId)) return null;
    if (e.revision === 0) {
      const created = createdRecord(e, 0);
      if (!created) return null;
      const seq = Number(insert(db, created).lastInsertRowid);
      return { before: null, after: { ...created, seq } };
    }
    if (this.bulk) {
      // Without the metadata, which no read model uses (and which the store parses only on use).
      const kept = {
        position: e.position,
        streamId: e.streamId,
        revision: e.revision,
        eventId: e.eventId,
        type: e.type,
        schemaVersion: e.schemaVersion,
        data: e.data,
        recordedAt: e.recordedAt,
      };
      statement(db, 'insert into records_deferred values (?, ?)').run(e.position, JSON.stringify(kept));
      return DEFERRED;
    }
    const before = recordOfStream(db, e.streamId);
    if (!before) return null;
    statement(db, 'insert or ignore into records_events values (?, ?)').run(e.position, before.seq);
    const after = changedRecord(before, e);
    if (after !== before) update(db, after);
    return { before, after };
  }

  /**
   * Builds the indexes, then hands the set-aside events to `apply` in log order (the caller runs
   * them through the same path as live events).
   */
  finishBulk(db: Database.Database, apply: (e: StoredEvent) => void): void {
    this.bulk = false;
    db.exec(RecordIndex.INDEXES);
    const rows = db.prepare('select event from records_deferred order by position').iterate() as Iterable<{
      event: string;
    }>;
    const events: StoredEvent[] = [];
    // Read before applying: the statement must not be iterating while others write.
    for (const r of rows) events.push({ ...(JSON.parse(r.event) as StoredEvent), metadata: {} as never });
    for (const e of events) apply(e);
    db.exec('delete from records_deferred');
  }
}

function insert(db: Database.Database, r: LedgerRecord): Database.RunResult {
  return statement(
    db,
    `insert into records (${COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(...values(r));
}

function update(db: Database.Database, r: LedgerRecord): void {
  statement(
    db,
    `update records set (${COLUMNS}) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) where seq = ?`,
  ).run(...values(r), r.seq);
}

function values(r: LedgerRecord): unknown[] {
  return [
    r.streamId,
    r.recordId,
    r.kind,
    r.projectCode,
    r.partnerId,
    r.occurredOn,
    r.position,
    r.voided ? 1 : 0,
    r.person,
    r.targetGroup,
    r.key1,
    r.key2,
    r.workerRef,
    r.minutes,
    r.people,
    r.peopleMinutes,
    r.quantity,
    r.cents,
    r.categoryId,
    r.eligibleCents,
    r.ineligibleCents,
  ];
}

export function recordOfStream(db: Database.Database, streamId: string): LedgerRecord | null {
  const row = statement(db, 'select * from records where stream_id = ?').get(streamId) as RecordRow | undefined;
  return row ? fromRow(row) : null;
}

function fromRow(r: RecordRow): LedgerRecord {
  return {
    seq: r.seq,
    streamId: r.stream_id,
    recordId: r.record_id,
    kind: r.kind,
    projectCode: r.project_code,
    partnerId: r.partner_id,
    occurredOn: r.occurred_on,
    position: r.position,
    voided: r.voided === 1,
    person: r.person,
    targetGroup: r.target_group,
    key1: r.key1,
    key2: r.key2,
    workerRef: r.worker_ref,
    minutes: r.minutes,
    people: r.people,
    peopleMinutes: r.people_minutes,
    quantity: r.quantity,
    cents: r.cents,
    categoryId: r.category_id,
    eligibleCents: r.eligible_cents,
    ineligibleCents: r.ineligible_cents,
  };
}
