import type { AnyEvent } from './ledger-events';
import type { Projection } from './projection';
import type { Sql } from './statement-cache';

/**
 * Which position the ledger had reached at the end of an hour, for `?asOf=<day>` (a day ends at an
 * hour's end in UTC): for each UTC hour the latest instant recorded so far first reached, the position
 * of the event before the one that reached it. The end of hour H is then the `before` of the first
 * row after H, an index seek; the same answer as the store's `headPositionAt` (the last event of the
 * longest prefix of the log recorded up to the instant: a clock that stepped back does not extend
 * it), which reads a range of the store's recorded-at index instead. A few rows per hour of the log.
 */
export const timelineProjection: Projection<AnyEvent> = {
  name: 'timeline',
  version: 1,
  tables: ['timeline_hours'],
  schema: `create table if not exists timeline_hours (hour text primary key, before integer not null) without rowid;`,
  handles: 'all',
  evolve(e, { db }): void {
    db.prepare(
      `insert into timeline_hours (hour, before)
       select :hour, (select previous from projection_writing)
       where :hour > coalesce((select max(hour) from timeline_hours), '')`,
    ).run({ hour: e.recordedAt.slice(0, 13) });
  },
  bulk: (tables) => {
    const hours = tables.table('timeline_hours');
    /** The latest hour seen (what `max(hour)` reads live). */
    let latest = '';
    return {
      evolve(e): void {
        const hour = e.recordedAt.slice(0, 13);
        if (hour <= latest) return;
        latest = hour;
        hours.put([hour, tables.previous]);
      },
    };
  },
};

/** `2024-03-31T21:59:59.999Z` → `2024-03-31T21`; null for an instant that is not the end of an hour. */
export function hourEnding(instant: Date): string | null {
  const iso = instant.toISOString();
  return iso.endsWith(':59:59.999Z') ? iso.slice(0, 13) : null;
}

/**
 * The position reached at the end of `hour` (see above), or null when no event applied so far was
 * recorded after it: the caller then asks the store (later events may not have been applied yet).
 */
export function positionAtEndOfHour(db: Sql, hour: string): number | null {
  const row = db.prepare('select before from timeline_hours where hour > ? order by hour limit 1').get(hour) as
    { before: number } | undefined;
  return row ? row.before : null;
}
