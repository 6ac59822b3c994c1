import {
  DomainNotFoundError,
  evolveProject,
  initialProjectState,
  projectStreamId,
  type ProjectEvent,
  type ProjectState,
  type RegisteredProject,
} from '@ihl/domain';
import type { EventStore, StreamCondition } from '@ihl/event-store';
import { toDomainEvent } from './event-mapping';

/**
 * Folded project states per store, with the revision they include. The stream only grows, so each
 * load reads just the events after that revision (every command and figure query loads the
 * project; refolding hundreds of allocations each time cost milliseconds).
 */
const folded = new WeakMap<EventStore, Map<string, { revision: number; state: ProjectState }>>();

/** The registered project a record belongs to: definition, partners, locks. */
export async function loadProject(store: EventStore, code: string): Promise<RegisteredProject> {
  return (await loadProjectAt(store, code)).project;
}

/**
 * The project and the revision of its stream that it reflects, for a decision that must not commit
 * if the project changed meanwhile (a lock): see StreamCommandSpec.before.
 */
export async function loadProjectAt(
  store: EventStore,
  code: string,
): Promise<{ project: RegisteredProject; condition: StreamCondition }> {
  let perStore = folded.get(store);
  if (!perStore) folded.set(store, (perStore = new Map()));
  const known = perStore.get(code) ?? { revision: -1, state: initialProjectState };
  const fresh = await store.readStream(projectStreamId(code), { fromRevision: known.revision + 1 });
  let { revision, state } = known;
  for (const e of fresh) {
    state = evolveProject(state, toDomainEvent<ProjectEvent>(e));
    revision = e.revision;
  }
  // Another load may have got further meanwhile: keep the later one.
  if (revision > (perStore.get(code)?.revision ?? -1)) perStore.set(code, { revision, state });
  if (state.status !== 'registered') throw new DomainNotFoundError(`project ${code} is not registered`);
  return { project: state, condition: { streamId: projectStreamId(code), expectedRevision: revision } };
}
