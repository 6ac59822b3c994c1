import type { AllStreamResolvedEvent, Position, ResolvedEvent } from '@eventstore/db-client';
import type { EventMetadata, JsonValue, StoredEvent } from '../event-store.port';

// The port's schema version travels in the event metadata under a reserved key.
export const SCHEMA_KEY = '$schemaVersion';
/** The event's chain hash (hex) in its metadata: kept by the adapter, not handed to consumers. */
export const CHAIN_KEY = '$chainHash';

export function toPosition(p: number): Position {
  return { commit: BigInt(p), prepare: BigInt(p) };
}

/** A plain StoredEvent, or null for the server's own (system) events. */
export function toStoredEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): StoredEvent | null {
  const r = resolved.event;
  if (!r || r.type.startsWith('$') || r.streamId.startsWith('$')) return null;
  const raw = (r.metadata ?? {}) as Record<string, JsonValue>;
  const { [SCHEMA_KEY]: schemaVersion, [CHAIN_KEY]: _chainHash, ...metadata } = raw;
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

/** An event with the chain hash its metadata carries (null: written without one). */
export interface ChainedEvent extends StoredEvent {
  readonly chainHash: string | null;
}

export function toChainedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): ChainedEvent | null {
  const e = toStoredEvent(resolved);
  if (!e) return null;
  const hash = (resolved.event?.metadata as Record<string, unknown> | undefined)?.[CHAIN_KEY];
  return { ...e, chainHash: typeof hash === 'string' ? hash : null };
}
