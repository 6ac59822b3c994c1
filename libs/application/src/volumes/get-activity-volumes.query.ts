import { Inject } from '@nestjs/common';
import { FigureReader } from '../as-of/figure-reader.service';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ActivityVolumes } from '@ihl/domain';
import { DatedFigureQuery, datedFrame } from '../shared/figure-range';
import type { DateRange } from './volumes-read-model.port';

/**
 * `?partnerId=`: that partner's volumes (a partner's token: its own id only); `?from=&to=`: the
 * records dated in that range only.
 */
export class GetActivityVolumesQuery extends DatedFigureQuery {}

export type ActivityVolumesView = ActivityVolumes & {
  readonly projectCode: string;
  /** The partner the volumes are narrowed to (a partner's token: its own); null for the project. */
  readonly partnerId: string | null;
  /** The dates of the records counted (both days included); null: all of them. */
  readonly between: DateRange | null;
  readonly position: number;
};

/** Services and hours, consultations, support, trainings, equipment, events, caseload; partners: their own. */
@QueryHandler(GetActivityVolumesQuery)
export class GetActivityVolumesHandler implements IQueryHandler<GetActivityVolumesQuery, ActivityVolumesView> {
  constructor(@Inject(FigureReader) private readonly figures: FigureReader) {}

  async execute(q: GetActivityVolumesQuery): Promise<ActivityVolumesView> {
    // An unknown project, or one not yet registered at the as-of point, is not found.
    const { asOf, partnerId, between } = await datedFrame(this.figures, q);
    return this.figures.read(asOf, (models) => ({
      projectCode: q.projectCode,
      ...models.activityVolumes(q.projectCode, partnerId, between),
      partnerId: partnerId ?? null,
      between: between ?? null,
      position: models.reached,
    }));
  }
}
