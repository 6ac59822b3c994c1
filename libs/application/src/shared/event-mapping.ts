import { UpcasterRegistry, type StoredEvent } from '@ihl/event-store';

/** Every upcaster of the ledger's events is registered here (none yet: all types are at v1). */
export const upcasters = new UpcasterRegistry();

/** A stored event in the domain's latest shape. */
export function toDomainEvent<E extends { type: string; data: unknown }>(stored: StoredEvent): E {
  const { type, data } = upcasters.upcast(stored);
  return { type, data } as unknown as E;
}
