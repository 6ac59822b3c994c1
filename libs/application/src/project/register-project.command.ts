import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideProject, foldProject, projectStreamId, type ProjectDefinition, type ProjectEvent } from '@ihl/domain';
import { EVENT_STORE, type EventStore } from '@ihl/event-store';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../shared/ports';
import type { RequestContext } from '../shared/request-context';
import { toDomainEvent } from '../shared/event-mapping';
import { executeOnStream } from '../shared/stream-command';
import type { WriteResult } from '../shared/write-result';

export class RegisterProjectCommand {
  constructor(
    readonly definition: ProjectDefinition,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(RegisterProjectCommand)
export class RegisterProjectHandler implements ICommandHandler<RegisterProjectCommand, WriteResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  execute(command: RegisterProjectCommand): Promise<WriteResult> {
    return executeOnStream<ReturnType<typeof foldProject>, ProjectEvent>(
      { store: this.store, clock: this.clock, ids: this.ids },
      command.context,
      {
        streamId: projectStreamId(command.definition.code),
        fold: foldProject,
        toDomain: toDomainEvent<ProjectEvent>,
        decide: (state) => decideProject(state, { type: 'RegisterProject', definition: command.definition }),
      },
    );
  }
}
