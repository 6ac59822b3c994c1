import type { EvidenceEvent, EvidenceFile } from '@ihl/domain';
import type { JsonValue, StoredEvent } from '@ihl/event-store';
import { toDomainEvent } from '../shared/event-mapping';

/** A file attached to a record, as its answers and its audit trail show it: what, who and when. */
export interface EvidenceEntry extends EvidenceFile {
  readonly attachedAt: string;
  readonly position: number;
  readonly eventId: string;
  readonly actor: JsonValue;
}

/** The entries of a record's evidence stream (evidenceStreamOf), in the order they were attached. */
export function toEvidenceEntries(stored: readonly StoredEvent[]): EvidenceEntry[] {
  return stored.map((e) => ({
    ...toDomainEvent<EvidenceEvent>(e).data.file,
    attachedAt: e.recordedAt,
    position: e.position,
    eventId: e.eventId,
    actor: e.metadata.actor ?? null,
  }));
}
