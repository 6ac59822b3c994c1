import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { GetProgressQuery, type ProgressView, type RequestContext } from '@ihl/application';
import { Ctx, Roles } from '../auth/auth.guard';
import { formatOf, sendCsv, progressCsv } from '../http/csv-export';
import { asOfOf, positionOf } from '../http/position-query';

@ApiTags('progress')
@ApiBearerAuth()
@Controller('api/v1/projects/:code/progress')
export class ProgressController {
  constructor(private readonly queries: QueryBus) {}

  /** Unique persons reached against the targets; `?position=` waits for a write to show (else 503). */
  @Get()
  @Roles('partner-submitter', 'agency-auditor', 'finance-officer', 'admin')
  @ApiQuery({
    name: 'position',
    required: false,
    description: 'answer only once the read model includes this position',
  })
  async progress(
    @Param('code') code: string,
    @Query('position') position: string | undefined,
    @Query('asOf') asOf: string | undefined,
    @Query('format') format: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @Ctx() ctx: RequestContext,
  ) {
    const wanted = formatOf(format);
    const view = await this.queries.execute<GetProgressQuery, ProgressView>(
      new GetProgressQuery(code, ctx.actor, positionOf(position), undefined, asOfOf(asOf)),
    );
    if (wanted === 'csv') return sendCsv(res, `progress-${code}-at-${view.position}`, ...progressCsv(view));
    return view;
  }
}
