import { Inject } from '@nestjs/common';
import {
  decideProject,
  foldProject,
  projectStreamId,
  type ProjectCommand,
  type ProjectEvent,
  type ProjectState,
} from '@ihl/domain';
import { EVENT_STORE, type EventStore } from '@ihl/event-store';
import { toDomainEvent } from '../shared/event-mapping';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../shared/ports';
import type { RequestContext } from '../shared/request-context';
import { executeOnStream } from '../shared/stream-command';
import type { WriteResult } from '../shared/write-result';

/** Shared wiring of the project use cases: everything decided on the `project-<code>` stream. */
export abstract class ProjectHandler {
  constructor(
    @Inject(EVENT_STORE) protected readonly store: EventStore,
    @Inject(CLOCK) protected readonly clock: Clock,
    @Inject(ID_GENERATOR) protected readonly ids: IdGenerator,
  ) {}

  protected run(ctx: RequestContext, code: string, command: ProjectCommand): Promise<WriteResult> {
    return executeOnStream<ProjectState, ProjectEvent>({ store: this.store, clock: this.clock, ids: this.ids }, ctx, {
      streamId: projectStreamId(code),
      fold: foldProject,
      toDomain: toDomainEvent<ProjectEvent>,
      decide: (state) => decideProject(state, command),
    });
  }
}
