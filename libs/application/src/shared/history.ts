import type { JsonValue, StoredEvent } from '@ihl/event-store';

export interface HistoryEntry {
  readonly revision: number;
  readonly position: number;
  readonly eventId: string;
  readonly type: string;
  readonly recordedAt: string;
  readonly actor: JsonValue;
  readonly data: JsonValue;
}

/** A record's events as auditors read them: who, when, what. */
export function toHistory(stored: readonly StoredEvent[]): HistoryEntry[] {
  return stored.map((e) => ({
    revision: e.revision,
    position: e.position,
    eventId: e.eventId,
    type: e.type,
    recordedAt: e.recordedAt,
    actor: e.metadata.actor ?? null,
    data: e.data,
  }));
}
