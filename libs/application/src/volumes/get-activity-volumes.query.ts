import { Inject } from '@nestjs/common';
import { FigureQuery } from '../as-of/as-of';
import { FigureReader } from '../as-of/figure-reader.service';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ActivityVolumes } from '@ihl/domain';
import { EVENT_STORE, type EventStore } from '@ihl/event-store';
import { loadProject } from '../shared/project-context';

export class GetActivityVolumesQuery extends FigureQuery {}

export type ActivityVolumesView = ActivityVolumes & { readonly projectCode: string; readonly position: number };

/** Services and hours, consultations, support, trainings, equipment, events, caseload; partners: their own. */
@QueryHandler(GetActivityVolumesQuery)
export class GetActivityVolumesHandler implements IQueryHandler<GetActivityVolumesQuery, ActivityVolumesView> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly figures: FigureReader,
  ) {}

  async execute(q: GetActivityVolumesQuery): Promise<ActivityVolumesView> {
    await this.figures.ready(q);
    await loadProject(this.store, q.projectCode);
    return this.figures.read(q.asOf, (models) => ({
      projectCode: q.projectCode,
      ...models.activityVolumes(q.projectCode, q.ownPartner),
      position: models.reached,
    }));
  }
}
