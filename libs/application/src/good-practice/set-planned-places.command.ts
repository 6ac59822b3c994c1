import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  decidePlannedPlaces,
  foldPlannedPlaces,
  plannedPlacesStreamId,
  type PlannedPlacesEvent,
  type PlannedPlacesState,
} from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';

/** The admin sets how many places a partner plans (the base of its capacity use). */
export class SetPlannedPlacesCommand {
  constructor(
    readonly projectCode: string,
    readonly partnerId: string,
    readonly places: number,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(SetPlannedPlacesCommand)
export class SetPlannedPlacesHandler implements ICommandHandler<SetPlannedPlacesCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: SetPlannedPlacesCommand): Promise<WriteResult> {
    const { projectCode, partnerId, places } = c;
    return this.writer.writeInProject<PlannedPlacesState, PlannedPlacesEvent>(
      c.context,
      projectCode,
      ({ project }) => ({
        streamId: plannedPlacesStreamId(projectCode),
        fold: foldPlannedPlaces,
        decide: (state) =>
          decidePlannedPlaces(state, { type: 'SetPlannedPlaces', projectCode, partnerId, places }, c.context.actor, [
            ...project.partners.keys(),
          ]),
      }),
    );
  }
}
