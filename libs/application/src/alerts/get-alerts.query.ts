import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { FigureQuery, type FigureQueryParams } from '../as-of/as-of';
import { FigureReader } from '../as-of/figure-reader.service';
import type { AlertStatusFilter, AlertView } from './alerts-read-model.port';

/** `?status=` (open unless given), paged; a partner's token: the alerts about its own partner only. */
export class GetAlertsQuery extends FigureQuery {
  readonly status: AlertStatusFilter;
  readonly page: number;
  readonly pageSize: number;

  constructor(params: FigureQueryParams & { status: AlertStatusFilter; page: number; pageSize: number }) {
    super(params);
    this.status = params.status;
    this.page = params.page;
    this.pageSize = params.pageSize;
  }
}

export interface AlertsView {
  readonly projectCode: string;
  readonly status: AlertStatusFilter;
  /** The partner the list is narrowed to (a partner's token: its own); null for every alert. */
  readonly partnerId: string | null;
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
  readonly alerts: readonly AlertView[];
  readonly position: number;
}

/** The alerts the scheduled checks raised and resolved, from their read model. */
@QueryHandler(GetAlertsQuery)
export class GetAlertsHandler implements IQueryHandler<GetAlertsQuery, AlertsView> {
  constructor(@Inject(FigureReader) private readonly figures: FigureReader) {}

  async execute(q: GetAlertsQuery): Promise<AlertsView> {
    const { asOf } = await this.figures.frame(q);
    const partnerId = q.ownPartner;
    return this.figures.read(asOf, (models) => ({
      projectCode: q.projectCode,
      status: q.status,
      partnerId: partnerId ?? null,
      page: q.page,
      pageSize: q.pageSize,
      ...models.alertsPage(q.projectCode, { status: q.status, partnerId, page: q.page, pageSize: q.pageSize }),
      position: models.reached,
    }));
  }
}
