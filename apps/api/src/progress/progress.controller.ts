import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { GetProgressQuery, type ProgressView, type RequestContext } from '@ihl/application';
import { Ctx, Roles } from '../auth/auth.guard';
import { sendCsv, progressCsv } from '../http/csv-export';
import { ApiFigureQuery, Figure, type FigureParams } from '../http/position-query';

@ApiTags('progress')
@ApiBearerAuth()
@Controller('api/v1/projects/:code/progress')
export class ProgressController {
  constructor(private readonly queries: QueryBus) {}

  /** Unique persons reached against the targets; `?position=` waits for a write to show (else 503). */
  @Get()
  @Roles('partner-submitter', 'agency-auditor', 'finance-officer', 'admin')
  @ApiFigureQuery()
  async progress(
    @Param('code') code: string,
    @Figure() figure: FigureParams,
    @Res({ passthrough: true }) res: Response,
    @Ctx() ctx: RequestContext,
  ) {
    const view = await this.queries.execute<GetProgressQuery, ProgressView>(
      new GetProgressQuery(code, ctx.actor, figure.atLeastPosition, undefined, figure.asOf),
    );
    if (figure.format === 'csv') return sendCsv(res, `progress-${code}-at-${view.position}`, ...progressCsv(view));
    return view;
  }
}
