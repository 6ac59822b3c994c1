import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { GetActivityVolumesQuery, type ActivityVolumesView, type RequestContext } from '@ihl/application';
import { Ctx, Roles } from '../auth/auth.guard';
import { sendCsv, volumesCsv } from '../http/csv-export';
import { asMoney } from '../http/money-view';
import { ApiFigureQuery, Figure, type FigureParams } from '../http/position-query';

@ApiTags('progress')
@ApiBearerAuth()
@Controller('api/v1/projects/:code/volumes')
export class VolumesController {
  constructor(private readonly queries: QueryBus) {}

  /** Activity volumes; partners see their own. Costs as decimal strings. */
  @Get()
  @Roles('partner-submitter', 'agency-auditor', 'finance-officer', 'admin')
  @ApiFigureQuery()
  async volumes(
    @Param('code') code: string,
    @Figure() figure: FigureParams,
    @Res({ passthrough: true }) res: Response,
    @Ctx() ctx: RequestContext,
  ) {
    const view = await this.queries.execute<GetActivityVolumesQuery, ActivityVolumesView>(
      new GetActivityVolumesQuery(code, ctx.actor, figure.atLeastPosition, undefined, figure.asOf),
    );
    if (figure.format === 'csv') return sendCsv(res, `volumes-${code}-at-${view.position}`, ...volumesCsv(view));
    return asMoney(view);
  }
}
