import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  DomainNotFoundError,
  foldProject,
  projectStreamId,
  type Partner,
  type ProjectDefinition,
  type ProjectEvent,
} from '@ihl/domain';
import { EVENT_STORE, type EventStore } from '@ihl/event-store';
import { toDomainEvent } from '../shared/event-mapping';

export class GetProjectQuery {
  constructor(readonly code: string) {}
}

export interface ProjectView {
  readonly definition: ProjectDefinition;
  /** Every partner of the project: the definition's and those registered since. */
  readonly partners: readonly Partner[];
  readonly revision: number;
  readonly position: number;
  readonly registeredAt: string;
}

/** Reads the project's own stream; the project projections (issue 4) replace this for figures. */
@QueryHandler(GetProjectQuery)
export class GetProjectHandler implements IQueryHandler<GetProjectQuery, ProjectView> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(query: GetProjectQuery): Promise<ProjectView> {
    const stored = await this.store.readStream(projectStreamId(query.code));
    const state = foldProject(stored.map((e) => toDomainEvent<ProjectEvent>(e)));
    if (state.status !== 'registered') throw new DomainNotFoundError(`project ${query.code} is not registered`);
    const last = stored[stored.length - 1]!;
    return {
      definition: state.definition,
      partners: [...state.partners.values()],
      revision: last.revision,
      position: last.position,
      registeredAt: stored[0]!.recordedAt,
    };
  }
}
