import type Database from 'better-sqlite3';

const MIN_ISO_MS = Date.parse('0000-01-01T00:00:00.000Z');
const MAX_ISO_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** headPositionAt from the index on recorded_at (see the port for what the answer means). */
export class RecordedAtIndex {
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      head: db.prepare<[], { p: number | null }>('select max(position) as p from events'),
      // A range scan of the covering index: cost grows with the events recorded after the instant.
      firstRecordedAfter: db.prepare<[string], { q: number | null }>(
        'select min(position) as q from events indexed by events_recorded_at where recorded_at > ?',
      ),
      lastBefore: db.prepare<[number], { p: number | null }>(
        'select max(position) as p from events where position < ?',
      ),
    };
  }

  headPositionAt(instant: Date): number {
    // recorded_at is always toISOString(), so text order is time order.
    const first = this.stmt.firstRecordedAfter.get(isoInstant(instant))?.q ?? null;
    if (first === null) return this.stmt.head.get()?.p ?? 0;
    return this.stmt.lastBefore.get(first)?.p ?? 0;
  }
}

function isoInstant(instant: Date): string {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('headPositionAt needs a valid instant');
  // Clamped to toISOString's fixed 24-character range (years 0-9999), where text order is time order.
  return new Date(Math.min(Math.max(ms, MIN_ISO_MS), MAX_ISO_MS)).toISOString();
}
