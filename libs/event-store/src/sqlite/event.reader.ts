import type Database from 'better-sqlite3';
import type { ReadAllOptions, ReadStreamOptions, StoredEvent } from '../event-store.port';
import { EVENT_COLUMNS, EVENT_JSON, parseStoredEvent, type EventRow } from './event-row.mapping';

/** The store's reads, on its connection: streams, the global log, the head, single rows for the feed. */
export class SqliteEventReader {
  private readonly stmt;

  constructor(db: Database.Database) {
    const rows = <P extends unknown[]>(where: string) =>
      db.prepare<P, EventRow>(`select ${EVENT_COLUMNS} from events where ${where}`).raw(true);
    const json = <P extends unknown[]>(where: string) =>
      db.prepare<P, string>(`select ${EVENT_JSON} from events where ${where}`).pluck();
    this.stmt = {
      streamRevision: db.prepare<[string], { revision: number }>('select revision from streams where stream_id = ?'),
      head: db.prepare<[], { p: number | null }>('select max(position) as p from events'),
      idAt: db.prepare<[number], string>('select event_id from events where position = ?').pluck(),
      rowAt: rows<[number]>('position = ?'),
      rowsAfter: rows<[number, number]>('position > ? order by position limit ?'),
      allForwards: json<[number, number]>('position > ? order by position limit ?'),
      allBackwards: json<[number, number]>('position < ? order by position desc limit ?'),
      streamForwards: json<[string, number, number]>('stream_id = ? and revision >= ? order by revision limit ?'),
      streamBackwards: json<[string, number, number]>('stream_id = ? and revision <= ? order by revision desc limit ?'),
    };
  }

  readStream(streamId: string, options: ReadStreamOptions): StoredEvent[] {
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const rows =
      options.direction === 'backwards'
        ? this.stmt.streamBackwards.all(streamId, options.fromRevision ?? Number.MAX_SAFE_INTEGER, max)
        : this.stmt.streamForwards.all(streamId, options.fromRevision ?? 0, max);
    return rows.map(parseStoredEvent);
  }

  streamRevision(streamId: string): number | null {
    return this.stmt.streamRevision.get(streamId)?.revision ?? null;
  }

  readAll(options: ReadAllOptions): StoredEvent[] {
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const rows =
      options.direction === 'backwards'
        ? this.stmt.allBackwards.all(options.before ?? Number.MAX_SAFE_INTEGER, max)
        : this.stmt.allForwards.all(options.after ?? 0, max);
    return rows.map(parseStoredEvent);
  }

  /** The file's head, whichever process appended it (0 when empty). */
  headPosition(): number {
    return this.stmt.head.get()?.p ?? 0;
  }

  /** Up to `limit` rows after `after`, undecoded: the feed decodes each as it hands it over. */
  rowsAfter(after: number, limit: number): EventRow[] {
    return this.stmt.rowsAfter.all(after, limit);
  }

  rowAt(position: number): EventRow | undefined {
    return this.stmt.rowAt.get(position);
  }

  eventIdAt(position: number): string | undefined {
    return this.stmt.idAt.get(position);
  }
}
