import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { RespondentGroup, SurveyListRow } from '@ihl/domain';
import { FigureQuery, type FigureQueryParams } from '../as-of/as-of';
import { FigureReader } from '../as-of/figure-reader.service';

/** `?partnerId=`, `?respondentGroup=`; a partner's token: its own surveys only. */
export class ListSurveysQuery extends FigureQuery {
  readonly partnerId: string | undefined;
  readonly respondentGroup: RespondentGroup | undefined;

  constructor(
    params: FigureQueryParams & { partnerId?: string | undefined; respondentGroup?: RespondentGroup | undefined },
  ) {
    super(params);
    this.partnerId = params.partnerId;
    this.respondentGroup = params.respondentGroup;
  }
}

export interface SurveyListView {
  readonly projectCode: string;
  readonly surveys: readonly SurveyListRow[];
  readonly position: number;
}

/** The project's survey results (voided ones too, marked), from the quality read model. */
@QueryHandler(ListSurveysQuery)
export class ListSurveysHandler implements IQueryHandler<ListSurveysQuery, SurveyListView> {
  constructor(@Inject(FigureReader) private readonly figures: FigureReader) {}

  async execute(q: ListSurveysQuery): Promise<SurveyListView> {
    const { asOf } = await this.figures.frame(q);
    const foreign = q.ownPartner !== undefined && q.partnerId !== undefined && q.partnerId !== q.ownPartner;
    return this.figures.read(asOf, (models) => ({
      projectCode: q.projectCode,
      surveys: foreign
        ? []
        : models
            .surveysOf(q.projectCode, q.ownPartner ?? q.partnerId)
            .filter((s) => q.respondentGroup === undefined || s.respondentGroup === q.respondentGroup),
      position: models.reached,
    }));
  }
}
