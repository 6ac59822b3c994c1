import {
  deliverableStreamId,
  evolveDeliverable,
  initialDeliverableState,
  type DeliverableEvent,
  type RegisteredProject,
} from '@ihl/domain';
import type { StoredEvent } from '@ihl/event-store';
import type { AsOf } from '../as-of/as-of';
import type { FigureReader } from '../as-of/figure-reader.service';
import { toDomainEvent } from '../shared/event-mapping';

/** Each lump sum's deliverable events (as of the point asked), read from its stream: a project has a few. */
export async function deliverableEventsOf(
  figures: FigureReader,
  project: RegisteredProject,
  asOf: AsOf | undefined,
): Promise<Map<string, StoredEvent[]>> {
  const code = project.definition.code;
  const lumpSums = project.definition.simplifiedCosts?.lumpSums ?? [];
  const streams = await Promise.all(lumpSums.map((l) => figures.streamAsOf(deliverableStreamId(code, l.id), asOf)));
  return new Map(lumpSums.map((l, i) => [l.id, streams[i]!]));
}

/** The lump sums whose deliverable stood accepted at `position` (the read models' point). */
export function acceptedAt(events: ReadonlyMap<string, readonly StoredEvent[]>, position: number): Set<string> {
  const accepted = new Set<string>();
  for (const [id, stored] of events) {
    const state = stored
      .filter((e) => e.position <= position)
      .map((e) => toDomainEvent<DeliverableEvent>(e))
      .reduce(evolveDeliverable, initialDeliverableState);
    if (state.status === 'accepted') accepted.add(id);
  }
  return accepted;
}
