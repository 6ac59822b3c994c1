import Database from 'better-sqlite3';
import type { JsonValue, StoredEvent } from '@ihl/event-store';
import type { Projection } from './projection';
import { createAsOfTables } from './as-of-tables';
import { ProjectionDispatch } from './projection-dispatch';

/**
 * Applies hand-made events to projections as the runner does (records first, then each
 * projection, then the batch is written), one event per batch, on an in-memory database: for unit tests.
 */
export function projectionHarness(projections: readonly Projection[]) {
  const db = new Database(':memory:');
  const dispatch = new ProjectionDispatch(db, projections, undefined, true);
  dispatch.records.prepare(false);
  for (const p of projections) db.exec(p.schema);
  createAsOfTables(db, projections);
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
      dispatch.apply(event);
      dispatch.commit();
    })();
    return position;
  };
  return { db, apply };
}
