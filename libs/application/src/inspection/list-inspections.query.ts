import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { FigureQuery, type FigureQueryParams } from '../as-of/as-of';
import { FigureReader } from '../as-of/figure-reader.service';
import type { InspectionListRow, InspectionStatusFilter } from '@ihl/domain';
import type { InspectionCursor } from '../quality/quality-read-model.port';

/** `?partnerId=`, `?status=`, a page after a cursor; a partner's token: its own inspections only. */
export class ListInspectionsQuery extends FigureQuery {
  readonly partnerId: string | undefined;
  readonly status: InspectionStatusFilter;
  readonly after: InspectionCursor | null;
  readonly limit: number;

  constructor(
    params: FigureQueryParams & {
      partnerId?: string | undefined;
      status: InspectionStatusFilter;
      after: InspectionCursor | null;
      limit: number;
    },
  ) {
    super(params);
    this.partnerId = params.partnerId;
    this.status = params.status;
    this.after = params.after;
    this.limit = params.limit;
  }
}

export interface InspectionListView {
  readonly projectCode: string;
  /** The day open findings were counted overdue on: today, or the as-of day. */
  readonly today: string;
  readonly inspections: readonly InspectionListRow[];
  /** The cursor of the next page; null on the last. */
  readonly next: InspectionCursor | null;
  readonly position: number;
}

/** The project's inspections with their findings counted, from the quality read model. */
@QueryHandler(ListInspectionsQuery)
export class ListInspectionsHandler implements IQueryHandler<ListInspectionsQuery, InspectionListView> {
  constructor(@Inject(FigureReader) private readonly figures: FigureReader) {}

  async execute(q: ListInspectionsQuery): Promise<InspectionListView> {
    const { asOf, today } = await this.figures.frame(q);
    // A partner reads its own inspections whatever filter it asks for (another partner's: none).
    const partnerId = q.ownPartner ?? q.partnerId;
    const foreign = q.ownPartner !== undefined && q.partnerId !== undefined && q.partnerId !== q.ownPartner;
    return this.figures.read(asOf, (models) => {
      const rows = foreign
        ? []
        : models.inspectionsPage({
            projectCode: q.projectCode,
            partnerId,
            status: q.status,
            today,
            after: q.after,
            limit: q.limit + 1,
          });
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      return {
        projectCode: q.projectCode,
        today,
        inspections: page,
        next: rows.length > q.limit && last ? { startedOn: last.startedOn, inspectionId: last.inspectionId } : null,
        position: models.reached,
      };
    });
  }
}
