import type { AllStreamResolvedEvent, Position, ResolvedEvent } from '@eventstore/db-client';
import type { EventMetadata, JsonValue, StoredEvent } from '../event-store.port';

// The port's schema version travels in the event metadata under a reserved key.
export const SCHEMA_KEY = '$schemaVersion';

export function toPosition(p: number): Position {
  return { commit: BigInt(p), prepare: BigInt(p) };
}

/** A plain StoredEvent, or null for the server's own (system) events. */
export function toStoredEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): StoredEvent | null {
  const r = resolved.event;
  if (!r || r.type.startsWith('$') || r.streamId.startsWith('$')) return null;
  const raw = (r.metadata ?? {}) as Record<string, JsonValue>;
  const { [SCHEMA_KEY]: schemaVersion, ...metadata } = raw;
  const position = 'position' in r && r.position ? Number(r.position.commit) : Number(resolved.commitPosition ?? 0);
  return {
    position,
    streamId: r.streamId,
    revision: Number(r.revision),
    eventId: r.id,
    type: r.type,
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : 1,
    data: r.data as JsonValue,
    metadata: metadata as EventMetadata,
    recordedAt: r.created.toISOString(),
  };
}
