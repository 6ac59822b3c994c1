import Database from 'better-sqlite3';
import type { JsonValue, StoredEvent } from '@ihl/event-store';
import type { Projection } from './projection';
import { createAsOfTables } from './as-of-tables';
import { ProjectionDispatch } from './projection-dispatch';

/**
 * Applies hand-made events to projections as the runner does (records first, then each
 * projection, then the batch is written), one event per batch, on an in-memory database: for unit tests.
 * `versioned: false` keeps no history, so a projection's batch spans every event of a `batch` call
 * (the runner always keeps one; the projections' batch code is written for both).
 */
export function projectionHarness(projections: readonly Projection[], { versioned = true } = {}) {
  const db = new Database(':memory:');
  const dispatch = new ProjectionDispatch(db, projections, undefined, versioned);
  dispatch.records.prepare(false);
  for (const p of projections) db.exec(p.schema);
  createAsOfTables(db, projections);
  let position = 0;
  const revisions = new Map<string, number>();
  /** Set while `batch` runs: events are applied in its transaction and committed at its end. */
  let held = false;
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
    if (held) dispatch.apply(event);
    else
      db.transaction(() => {
        dispatch.apply(event);
        dispatch.commit();
      })();
    return position;
  };
  /** The events `fn` applies, in one transaction with one commit, as a runner batch. */
  const batch = (fn: () => void): void =>
    db.transaction(() => {
      held = true;
      try {
        fn();
      } finally {
        held = false;
      }
      dispatch.commit();
    })();
  return { db, apply, batch };
}
