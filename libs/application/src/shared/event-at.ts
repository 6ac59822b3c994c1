import type { EventStore, StoredEvent } from '@ihl/event-store';

/** The event at a global position, if there is one (positions only grow, but may have gaps). */
export async function eventAt(store: EventStore, position: number): Promise<StoredEvent | undefined> {
  const [e] = await store.readAll({ after: position - 1, maxCount: 1 });
  return e && e.position === position ? e : undefined;
}
