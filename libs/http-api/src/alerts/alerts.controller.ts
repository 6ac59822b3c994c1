import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import {
  ALERT_STATUSES,
  GetAlertsQuery,
  type AlertStatusFilter,
  type AlertsView,
  type RequestContext,
} from '@ihl/application';
import { Ctx, Roles } from '../auth/auth.guard';
import { IsAsOfParameter, IsPositionParameter, QueryRule, figureParams, figureQueryOf } from '../http/position-query';
import { ValidQuery } from '../http/valid-query.decorator';

const IntegerUpTo = (max: number) =>
  QueryRule(
    'integer-range',
    (v) => /^\d{1,6}$/.test(v) && Number(v) >= 1 && Number(v) <= max,
    `must be a whole number from 1 to ${max}`,
  );

export class AlertsQueryDto {
  @ApiPropertyOptional({ enum: ALERT_STATUSES, description: 'open (unless given), resolved or all' })
  @IsOptional()
  @QueryRule(
    'enum',
    (v) => ALERT_STATUSES.includes(v as AlertStatusFilter),
    `must be one of ${ALERT_STATUSES.join(', ')}`,
  )
  status?: AlertStatusFilter;
  @ApiPropertyOptional({ type: String, description: 'from 1; 1 unless given' })
  @IsOptional()
  @IntegerUpTo(100_000)
  page?: string;
  @ApiPropertyOptional({ type: String, description: '1 to 500, 50 unless given' })
  @IsOptional()
  @IntegerUpTo(500)
  pageSize?: string;
  @IsPositionParameter() position?: string;
  @IsAsOfParameter('the alerts') asOf?: string;
}

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('api/v1/projects/:code/alerts')
export class AlertsController {
  constructor(private readonly queries: QueryBus) {}

  /**
   * The alerts the scheduled checks raised (and resolved), in the order raised, paged. A partner
   * sees the alerts about its own partner, its lines and its records; the other roles see all.
   */
  @Get()
  @Roles('partner-submitter', 'agency-auditor', 'finance-officer', 'admin')
  alerts(
    @Param('code') code: string,
    @ValidQuery(AlertsQueryDto) query: AlertsQueryDto,
    @Ctx() ctx: RequestContext,
  ): Promise<AlertsView> {
    return this.queries.execute(
      new GetAlertsQuery({
        ...figureQueryOf(code, ctx, figureParams(query)),
        status: query.status ?? 'open',
        page: query.page === undefined ? 1 : Number(query.page),
        pageSize: query.pageSize === undefined ? 50 : Number(query.pageSize),
      }),
    );
  }
}
