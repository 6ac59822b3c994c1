import type Database from 'better-sqlite3';
import type { ReadAllOptions, ReadStreamOptions, StoredEvent } from '../event-store.port';
import { EVENT_COLUMNS, EVENT_JSON, parseStoredEvent, type EventRow } from './event-row.mapping';

/** The store's reads, on its connection: streams, the global log, the head, single rows for the feed. */
export class SqliteEventReader {
  private readonly stmt;
  /** A read of several pages sees one snapshot of the file, whatever another process commits meanwhile. */
  private readonly snapshot: (read: () => StoredEvent[]) => StoredEvent[];

  constructor(db: Database.Database) {
    this.snapshot = db.transaction((read: () => StoredEvent[]) => read());
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
    const backwards = options.direction === 'backwards';
    const stmt = backwards ? this.stmt.streamBackwards : this.stmt.streamForwards;
    let from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    return this.snapshot(() =>
      paged(
        options.maxCount,
        (limit) => stmt.all(streamId, from, limit),
        (last) => (from = backwards ? last.revision - 1 : last.revision + 1),
      ),
    );
  }

  streamRevision(streamId: string): number | null {
    return this.stmt.streamRevision.get(streamId)?.revision ?? null;
  }

  readAll(options: ReadAllOptions): StoredEvent[] {
    const backwards = options.direction === 'backwards';
    const stmt = backwards ? this.stmt.allBackwards : this.stmt.allForwards;
    let from = backwards ? (options.before ?? Number.MAX_SAFE_INTEGER) : (options.after ?? 0);
    return this.snapshot(() =>
      paged(
        options.maxCount,
        (limit) => stmt.all(from, limit),
        (last) => (from = last.position),
      ),
    );
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

/** Rows per query of a long read. */
const PAGE = 256;

/**
 * Reads page by page (keyset: `next` moves the bound past the last event), each page parsed before
 * the next is read, so the texts of a long read never live all at once: a whole stream's texts
 * outgrew V8's young generation and were copied and promoted by the GC with the events.
 */
function paged(
  maxCount: number | undefined,
  page: (limit: number) => string[],
  next: (last: StoredEvent) => void,
): StoredEvent[] {
  const events: StoredEvent[] = [];
  // SQLite reads a negative limit as none.
  let left = maxCount === undefined || maxCount < 0 ? Number.MAX_SAFE_INTEGER : maxCount;
  while (left > 0) {
    const limit = Math.min(left, PAGE);
    const texts = page(limit);
    for (const text of texts) events.push(parseStoredEvent(text));
    if (texts.length < limit) break;
    left -= limit;
    next(events[events.length - 1]!);
  }
  return events;
}
