import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { GetProgressQuery, type ProgressView, type RequestContext } from '@ihl/application';
import { Ctx, Roles } from '../auth/auth.guard';
import { sendCsv, progressCsv } from '../http/csv-export';
import { figurePartner, partnerPart } from '../http/figure-partner';
import { PartnerFigureQueryDto, figureParams, figureQueryOf } from '../http/position-query';
import { ValidQuery } from '../http/valid-query.decorator';

@ApiTags('progress')
@ApiBearerAuth()
@Controller('api/v1/projects/:code/progress')
export class ProgressController {
  constructor(private readonly queries: QueryBus) {}

  /**
   * Unique persons reached against the targets; `?position=` waits for a write to show (else 503);
   * `?partnerId=` gives that partner's own figures, the ones its own token sees.
   */
  @Get()
  @Roles('partner-submitter', 'agency-auditor', 'finance-officer', 'admin')
  async progress(
    @Param('code') code: string,
    @ValidQuery(PartnerFigureQueryDto) query: PartnerFigureQueryDto,
    @Res({ passthrough: true }) res: Response,
    @Ctx() ctx: RequestContext,
  ) {
    const figure = figureParams(query);
    const partnerId = figurePartner(ctx, query.partnerId);
    const view = await this.queries.execute<GetProgressQuery, ProgressView>(
      new GetProgressQuery({ ...figureQueryOf(code, ctx, figure), partnerId }),
    );
    if (figure.format === 'csv')
      return sendCsv(
        res,
        `progress-${code}${partnerPart(view.partnerId)}-at-${view.position}`,
        ...progressCsv(view),
        figure.dialect,
        view.position,
      );
    return view;
  }
}
