import { Inject } from '@nestjs/common';
import { FigureQuery } from '../as-of/as-of';
import { FigureReader } from '../as-of/figure-reader.service';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ActivityVolumes } from '@ihl/domain';

export class GetActivityVolumesQuery extends FigureQuery {}

export type ActivityVolumesView = ActivityVolumes & { readonly projectCode: string; readonly position: number };

/** Services and hours, consultations, support, trainings, equipment, events, caseload; partners: their own. */
@QueryHandler(GetActivityVolumesQuery)
export class GetActivityVolumesHandler implements IQueryHandler<GetActivityVolumesQuery, ActivityVolumesView> {
  constructor(@Inject(FigureReader) private readonly figures: FigureReader) {}

  async execute(q: GetActivityVolumesQuery): Promise<ActivityVolumesView> {
    // An unknown project, or one not yet registered at the as-of point, is not found.
    const { asOf } = await this.figures.frame(q);
    return this.figures.read(asOf, (models) => ({
      projectCode: q.projectCode,
      ...models.activityVolumes(q.projectCode, q.ownPartner),
      position: models.reached,
    }));
  }
}
