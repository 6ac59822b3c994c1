import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { GetBudgetQuery, type BudgetView, type RequestContext } from '@ihl/application';
import { formatMoney } from '@ihl/domain';
import { Ctx, Roles } from '../auth/auth.guard';
import { positionOf } from '../http/position-query';

/** Cents become decimal strings at the edge: every *Cents field is answered as "1234.56". */
function asMoney(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asMoney);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) =>
        k.endsWith('Cents') && typeof v === 'number' ? [k.slice(0, -5), formatMoney(v)] : [k, asMoney(v)],
      ),
    );
  }
  return value;
}

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
    @Ctx() ctx: RequestContext,
  ) {
    const view = await this.queries.execute<GetBudgetQuery, BudgetView>(
      new GetBudgetQuery(code, ctx.actor, positionOf(position)),
    );
    return asMoney(view);
  }
}
