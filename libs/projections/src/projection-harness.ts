import Database from 'better-sqlite3';
import type { JsonValue, StoredEvent } from '@ihl/event-store';
import type { Projection } from './projection';
import { RecordIndex } from './record-index';

/**
 * Applies hand-made events to projections as the runner does (records first, then each
 * projection, then a flush), one event per batch, on an in-memory database: for unit tests.
 */
export function projectionHarness(projections: readonly Projection[]) {
  const db = new Database(':memory:');
  const records = new RecordIndex();
  records.prepare(db, false);
  for (const p of projections) db.exec(p.schema);
  let position = 0;
  const revisions = new Map<string, number>();
  const apply = (
    streamId: string,
    type: string,
    data: Record<string, JsonValue>,
    metadata: StoredEvent['metadata'] = {},
  ): number => {
    const revision = revisions.get(streamId) ?? 0;
    revisions.set(streamId, revision + 1);
    const event: StoredEvent = {
      position: ++position,
      streamId,
      revision,
      eventId: String(position),
      type,
      schemaVersion: 1,
      data,
      metadata,
      recordedAt: '2024-06-15T10:00:00Z',
    };
    db.transaction(() => {
      const change = records.change(db, event);
      for (const p of projections) p.apply(db, event, change);
      for (const p of projections) p.flush?.(db);
    })();
    return position;
  };
  return { db, apply };
}
