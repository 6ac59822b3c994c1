import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { GetBudgetQuery, type BudgetView, type RequestContext } from '@ihl/application';
import { Ctx, Roles } from '../auth/auth.guard';
import { sendCsv, budgetCsv } from '../http/csv-export';
import { asMoney } from '../http/money-view';
import { ApiFigureQuery, Figure, type FigureParams } from '../http/position-query';

@ApiTags('budget')
@ApiBearerAuth()
@Controller('api/v1/projects/:code/budget')
export class BudgetController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('finance-officer', 'agency-auditor', 'admin')
  @ApiFigureQuery()
  async budget(
    @Param('code') code: string,
    @Figure() figure: FigureParams,
    @Res({ passthrough: true }) res: Response,
    @Ctx() ctx: RequestContext,
  ) {
    const view = await this.queries.execute<GetBudgetQuery, BudgetView>(
      new GetBudgetQuery(code, ctx.actor, figure.atLeastPosition, undefined, figure.asOf),
    );
    if (figure.format === 'csv') return sendCsv(res, `budget-${code}-at-${view.position}`, ...budgetCsv(view));
    return asMoney(view);
  }
}
