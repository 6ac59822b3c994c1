import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { GetActivityVolumesQuery, type ActivityVolumesView, type RequestContext } from '@ihl/application';
import { Ctx, Roles } from '../auth/auth.guard';
import { formatOf, sendCsv, volumesCsv } from '../http/csv-export';
import { asMoney } from '../http/money-view';
import { asOfOf, positionOf } from '../http/position-query';

@ApiTags('progress')
@ApiBearerAuth()
@Controller('api/v1/projects/:code/volumes')
export class VolumesController {
  constructor(private readonly queries: QueryBus) {}

  /** Activity volumes; partners see their own. Costs as decimal strings. */
  @Get()
  @Roles('partner-submitter', 'agency-auditor', 'finance-officer', 'admin')
  @ApiQuery({
    name: 'position',
    required: false,
    description: 'answer only once the read model includes this position',
  })
  async volumes(
    @Param('code') code: string,
    @Query('position') position: string | undefined,
    @Query('asOf') asOf: string | undefined,
    @Query('format') format: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @Ctx() ctx: RequestContext,
  ) {
    const wanted = formatOf(format);
    const view = await this.queries.execute<GetActivityVolumesQuery, ActivityVolumesView>(
      new GetActivityVolumesQuery(code, ctx.actor, positionOf(position), undefined, asOfOf(asOf)),
    );
    if (wanted === 'csv') return sendCsv(res, `volumes-${code}-at-${view.position}`, ...volumesCsv(view));
    return asMoney(view);
  }
}
