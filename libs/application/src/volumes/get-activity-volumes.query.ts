import { Inject } from '@nestjs/common';
import { AS_OF_READ_MODELS, onReadModels, type AsOfReadModels, type ReadModelSet, FigureQuery } from '../as-of/as-of';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ActivityVolumes } from '@ihl/domain';
import { EVENT_STORE, type EventStore } from '@ihl/event-store';
import { loadProject } from '../shared/project-context';
import { VOLUMES_READ_MODEL } from './volumes-read-model.port';

export class GetActivityVolumesQuery extends FigureQuery {}

export type ActivityVolumesView = ActivityVolumes & { readonly projectCode: string; readonly position: number };

/** Services and hours, consultations, support, trainings, equipment, events, caseload; partners: their own. */
@QueryHandler(GetActivityVolumesQuery)
export class GetActivityVolumesHandler implements IQueryHandler<GetActivityVolumesQuery, ActivityVolumesView> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VOLUMES_READ_MODEL) private readonly readModel: ReadModelSet,
    @Inject(AS_OF_READ_MODELS) private readonly history: AsOfReadModels,
  ) {}

  async execute(q: GetActivityVolumesQuery): Promise<ActivityVolumesView> {
    if (q.atLeastPosition !== undefined) await this.readModel.waitFor(q.atLeastPosition, q.waitMs);
    await loadProject(this.store, q.projectCode);
    return onReadModels(this.readModel, this.history, this.store, q.asOf, (models) => ({
      projectCode: q.projectCode,
      ...models.activityVolumes(q.projectCode, q.ownPartner),
      position: models.reached,
    }));
  }
}
