import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { GetBudgetQuery, type BudgetView, type RequestContext } from '@ihl/application';
import { Ctx, Roles } from '../auth/auth.guard';
import { formatOf, sendCsv, budgetCsv } from '../http/csv-export';
import { asMoney } from '../http/money-view';
import { asOfOf, positionOf } from '../http/position-query';

@ApiTags('budget')
@ApiBearerAuth()
@Controller('api/v1/projects/:code/budget')
export class BudgetController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('finance-officer', 'agency-auditor', 'admin')
  @ApiQuery({
    name: 'position',
    required: false,
    description: 'answer only once the read model includes this position',
  })
  async budget(
    @Param('code') code: string,
    @Query('position') position: string | undefined,
    @Query('asOf') asOf: string | undefined,
    @Query('format') format: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @Ctx() ctx: RequestContext,
  ) {
    const wanted = formatOf(format);
    const view = await this.queries.execute<GetBudgetQuery, BudgetView>(
      new GetBudgetQuery(code, ctx.actor, positionOf(position), undefined, asOfOf(asOf)),
    );
    if (wanted === 'csv') return sendCsv(res, `budget-${code}-at-${view.position}`, ...budgetCsv(view));
    return asMoney(view);
  }
}
