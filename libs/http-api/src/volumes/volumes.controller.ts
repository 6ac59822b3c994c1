import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { GetActivityVolumesQuery, type ActivityVolumesView, type RequestContext } from '@ihl/application';
import { Ctx, Roles } from '../auth/auth.guard';
import { sendCsv, volumesCsv } from '../http/csv-export';
import { figurePartner, partnerPart } from '../http/figure-partner';
import { asMoney } from '../http/money-view';
import { DatedFigureQueryDto, figureParams, figureQueryOf } from '../http/position-query';
import { ValidQuery } from '../http/valid-query.decorator';

@ApiTags('progress')
@ApiBearerAuth()
@Controller('api/v1/projects/:code/volumes')
export class VolumesController {
  constructor(private readonly queries: QueryBus) {}

  /**
   * Activity volumes; partners see their own, others one partner's with `?partnerId=`; `?from=&to=`:
   * of the activities dated in that range. Costs as decimal strings.
   */
  @Get()
  @Roles('partner-submitter', 'agency-auditor', 'finance-officer', 'admin')
  async volumes(
    @Param('code') code: string,
    @ValidQuery(DatedFigureQueryDto) query: DatedFigureQueryDto,
    @Res({ passthrough: true }) res: Response,
    @Ctx() ctx: RequestContext,
  ) {
    const figure = figureParams(query);
    const partnerId = figurePartner(ctx, query.partnerId);
    const view = await this.queries.execute<GetActivityVolumesQuery, ActivityVolumesView>(
      new GetActivityVolumesQuery({
        ...figureQueryOf(code, ctx, figure),
        partnerId,
        dates: { from: query.from, to: query.to },
      }),
    );
    if (figure.format === 'csv')
      return sendCsv(
        res,
        `volumes-${code}${partnerPart(view.partnerId, view.between)}-at-${view.position}`,
        ...volumesCsv(view),
        figure.dialect,
        view.position,
      );
    return asMoney(view);
  }
}
