import { Inject, Injectable } from '@nestjs/common';
import {
  DomainNotFoundError,
  evolveProject,
  initialProjectState,
  projectStreamId,
  type ProjectEvent,
  type ProjectState,
  type RegisteredProject,
} from '@ihl/domain';
import { EVENT_STORE, type EventStore, type StreamCondition } from '@ihl/event-store';
import { toDomainEvent } from './event-mapping';

/** A registered project and the revision of its stream that it reflects. */
export interface ProjectAt {
  readonly project: RegisteredProject;
  /** The project's stream at that revision: a write that decided on it commits only if it is still there. */
  readonly condition: StreamCondition;
}

/**
 * The registered project a record belongs to (definition, partners, locks), for every command and
 * figure query. Folded states are kept with the revision they include, per store (one instance per
 * application): the stream only grows, so each load reads just the events after that revision
 * (refolding hundreds of allocations each time cost milliseconds).
 */
@Injectable()
export class ProjectContext {
  private readonly folded = new Map<string, { revision: number; state: ProjectState }>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async load(code: string): Promise<RegisteredProject> {
    return (await this.loadAt(code)).project;
  }

  async loadAt(code: string): Promise<ProjectAt> {
    const known = this.folded.get(code) ?? { revision: -1, state: initialProjectState };
    const fresh = await this.store.readStream(projectStreamId(code), { fromRevision: known.revision + 1 });
    let { revision, state } = known;
    for (const e of fresh) {
      state = evolveProject(state, toDomainEvent<ProjectEvent>(e));
      revision = e.revision;
    }
    // Another load may have got further meanwhile: keep the later one.
    if (revision > (this.folded.get(code)?.revision ?? -1)) this.folded.set(code, { revision, state });
    if (state.status !== 'registered') throw new DomainNotFoundError(`project ${code} is not registered`);
    return { project: state, condition: { streamId: projectStreamId(code), expectedRevision: revision } };
  }
}
