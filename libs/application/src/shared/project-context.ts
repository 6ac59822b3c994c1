import {
  DomainNotFoundError,
  foldProject,
  projectStreamId,
  type ProjectEvent,
  type RegisteredProject,
} from '@ihl/domain';
import type { EventStore } from '@ihl/event-store';
import { toDomainEvent } from './event-mapping';

/** The registered project a record belongs to: definition, partners, locks. */
export async function loadProject(store: EventStore, code: string): Promise<RegisteredProject> {
  const stored = await store.readStream(projectStreamId(code));
  const state = foldProject(stored.map((e) => toDomainEvent<ProjectEvent>(e)));
  if (state.status !== 'registered') throw new DomainNotFoundError(`project ${code} is not registered`);
  return state;
}
