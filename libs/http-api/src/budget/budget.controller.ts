import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { GetBudgetQuery, type BudgetBetweenView, type BudgetView, type RequestContext } from '@ihl/application';
import { Ctx, Roles } from '../auth/auth.guard';
import { sendCsv, budgetCsv } from '../http/csv-export';
import { figurePartner, partnerPart } from '../http/figure-partner';
import { asMoney } from '../http/money-view';
import { DatedFigureQueryDto, figureParams, figureQueryOf } from '../http/position-query';
import { spendingCsv } from '../http/spending-csv';
import { ValidQuery } from '../http/valid-query.decorator';

@ApiTags('budget')
@ApiBearerAuth()
@Controller('api/v1/projects/:code/budget')
export class BudgetController {
  constructor(private readonly queries: QueryBus) {}

  /**
   * The budget picture; `?partnerId=` narrows it to one partner's lines and totals; `?from=&to=` to
   * the expenditures dated in that range (without what is not dated: allocations, forecast).
   */
  @Get()
  // A partner's token reads its own budget only (figurePartner): issue #18 item 7.
  @Roles('finance-officer', 'agency-auditor', 'admin', 'partner-submitter')
  async budget(
    @Param('code') code: string,
    @ValidQuery(DatedFigureQueryDto) query: DatedFigureQueryDto,
    @Res({ passthrough: true }) res: Response,
    @Ctx() ctx: RequestContext,
  ) {
    const figure = figureParams(query);
    const view = await this.queries.execute<GetBudgetQuery, BudgetView | BudgetBetweenView>(
      new GetBudgetQuery({
        ...figureQueryOf(code, ctx, figure),
        partnerId: figurePartner(ctx, query.partnerId),
        dates: { from: query.from, to: query.to },
      }),
    );
    if (figure.format === 'csv')
      return sendCsv(
        res,
        `budget-${code}${partnerPart(view.partnerId, view.between)}-at-${view.position}`,
        ...(view.between ? spendingCsv(view) : budgetCsv(view)),
        figure.dialect,
        view.position,
      );
    return asMoney(view);
  }
}
