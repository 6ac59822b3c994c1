import { Inject } from '@nestjs/common';
import { FigureQuery } from '../as-of/as-of';
import { FigureReader } from '../as-of/figure-reader.service';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ActivityVolumes } from '@ihl/domain';
import { figurePartner } from '../shared/figure-partner';
import { figureRange, type AskedDates, type DatedFigureQueryParams } from '../shared/figure-range';
import type { DateRange } from './volumes-read-model.port';

export class GetActivityVolumesQuery extends FigureQuery {
  /** `?partnerId=`: that partner's volumes (a partner's token: its own id only). */
  readonly partnerId?: string;
  /** `?from=&to=`: the records dated in that range only. */
  readonly dates?: AskedDates;

  constructor(params: DatedFigureQueryParams) {
    super(params);
    this.partnerId = params.partnerId;
    this.dates = params.dates;
  }
}

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
    const { project, asOf } = await this.figures.frame(q);
    const partnerId = figurePartner(q, q.partnerId, project);
    const between = figureRange(q.dates, project);
    return this.figures.read(asOf, (models) => ({
      projectCode: q.projectCode,
      ...models.activityVolumes(q.projectCode, partnerId, between),
      partnerId: partnerId ?? null,
      between: between ?? null,
      position: models.reached,
    }));
  }
}
