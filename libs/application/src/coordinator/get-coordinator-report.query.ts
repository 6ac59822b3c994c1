import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  DomainNotFoundError,
  coordinatorReport,
  foldWorkforce,
  workforceStreamId,
  type CoordinatorReport,
  type WorkforceEvent,
} from '@ihl/domain';
import { FigureQuery, type FigureQueryParams } from '../as-of/as-of';
import { FigureReader } from '../as-of/figure-reader.service';
import { listRange } from '../lists/list-range';
import { toDomainEvent } from '../shared/event-mapping';

export class GetCoordinatorReportQuery extends FigureQuery {
  readonly partnerId: string;
  /** A quarter, YYYY-Qn. */
  readonly period: string;

  constructor(params: FigureQueryParams & { readonly partnerId: string; readonly period: string }) {
    super(params);
    this.partnerId = params.partnerId;
    this.period = params.period;
  }
}

export type CoordinatorReportView = CoordinatorReport & { readonly projectCode: string; readonly position: number };

/**
 * A partner's coordinator report for a quarter (its part within the project period): the services
 * from the records read model, the workforce from the partner's stream, both at the same point.
 */
@QueryHandler(GetCoordinatorReportQuery)
export class GetCoordinatorReportHandler implements IQueryHandler<GetCoordinatorReportQuery, CoordinatorReportView> {
  constructor(@Inject(FigureReader) private readonly figures: FigureReader) {}

  async execute(q: GetCoordinatorReportQuery): Promise<CoordinatorReportView> {
    const { project, asOf } = await this.figures.frame(q);
    if (!project.partners.has(q.partnerId)) throw new DomainNotFoundError('no such partner');
    const range = listRange(q.period, undefined, project)!;
    const read = await this.figures.read(asOf, (models) => ({
      ...models.coordinatorServices(q.projectCode, q.partnerId, range),
      position: models.reached,
    }));
    // The stream up to the position the services were read at, so both parts stand at one point.
    const stored = await this.figures.streamAsOf(workforceStreamId(q.projectCode, q.partnerId), {
      position: read.position,
    });
    const workforce = foldWorkforce(stored.map((e) => toDomainEvent<WorkforceEvent>(e)));
    const report = coordinatorReport({
      partnerId: q.partnerId,
      period: q.period,
      ...range,
      services: read.services,
      workforce,
      newPersons: read.newPersons,
    });
    return { projectCode: q.projectCode, ...report, position: read.position };
  }
}
