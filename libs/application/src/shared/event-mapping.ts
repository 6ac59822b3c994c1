import { UpcasterRegistry, type StoredEvent } from '@ihl/event-store';

/** Every upcaster of the ledger's events is registered here (none yet: all types are at v1). */
export const upcasters = new UpcasterRegistry();

/**
 * A stored event in the domain's latest shape. The store holds only what a decider produced, and the
 * upcasters bring older versions up to it: its type names which domain event its data is.
 */
export function toDomainEvent<E extends { type: string; data: unknown }>(stored: StoredEvent): E {
  const { type, data } = upcasters.upcast(stored);
  return { type, data } as E;
}
