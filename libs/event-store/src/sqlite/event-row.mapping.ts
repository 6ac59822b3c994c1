import type { EventMetadata, JsonValue, StoredEvent } from '../event-store.port';

/**
 * An events row in column order (better-sqlite3's array mode): position, stream_id, revision,
 * event_id, type, schema_version, data, metadata, recorded_at.
 */
export type EventRow = [number, string, number, string, string, number, string, string, string];

/** The columns of an EventRow, for every query that reads one. */
export const EVENT_COLUMNS =
  'position, stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at';

/**
 * Every field read and parsed here: an event handed over is a plain value that outlives the store
 * and survives a spread or a structured clone. Metadata is parsed eagerly too: an own getter that
 * parses on first use costs more per event (a closure and an accessor) than the parse itself.
 */
export function toStoredEvent(r: EventRow): StoredEvent {
  return {
    position: r[0],
    streamId: r[1],
    revision: r[2],
    eventId: r[3],
    type: r[4],
    schemaVersion: r[5],
    data: JSON.parse(r[6]) as JsonValue,
    metadata: JSON.parse(r[7]) as EventMetadata,
    recordedAt: r[8],
  };
}

/**
 * One row rendered by SQLite as the JSON of its StoredEvent, keys in toStoredEvent's order: `data`
 * and `metadata` are stored as JSON text and go in as they are. One JSON.parse per event then
 * builds the whole value; a row of nine cells, each a value handed across to JavaScript, and two
 * parses cost about twice the CPU per event of a page of the log (bench/README.md, "Emmett suite").
 */
export const EVENT_JSON = `'{"position":' || position || ',"streamId":' || json_quote(stream_id) || ',"revision":' || revision ||
  ',"eventId":' || json_quote(event_id) || ',"type":' || json_quote(type) || ',"schemaVersion":' ||
  schema_version || ',"data":' || data || ',"metadata":' || metadata || ',"recordedAt":' ||
  json_quote(recorded_at) || '}'`;

/** An EVENT_JSON text as the event it describes. */
export function parseStoredEvent(json: string): StoredEvent {
  return JSON.parse(json) as StoredEvent;
}
