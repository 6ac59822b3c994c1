import { Controller, Get, Param, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { GetCoordinatorReportQuery, type CoordinatorReportView, type RequestContext } from '@ihl/application';
import { Ctx, Roles } from '../auth/auth.guard';
import {
  IsAsOfParameter,
  IsDialectParameter,
  IsFormatParameter,
  IsPositionParameter,
  IsSlugParameter,
  QueryRule,
  dialectOf,
  figureParams,
  figureQueryOf,
} from '../http/position-query';
import { ValidQuery } from '../http/valid-query.decorator';
import { requiredPartner } from '../workforce/workforce.controller';
import { sendCoordinatorReport } from './coordinator-report-export';

export class CoordinatorReportQueryDto {
  @ApiProperty({ example: '2024-Q2', description: 'a quarter YYYY-Qn (its part within the project period)' })
  @QueryRule('period', (v) => /^\d{4}-Q[1-4]$/.test(v), 'must be a quarter YYYY-Qn')
  period!: string;
  @IsSlugParameter("the partner (a partner's token: its own id only; other roles must name one)") partnerId?: string;
  @IsPositionParameter() position?: string;
  @IsAsOfParameter() asOf?: string;
  @IsFormatParameter(['json', 'csv', 'xlsx'], 'xlsx: typed sheets with Lithuanian headers') format?: string;
  @IsDialectParameter() dialect?: string;
}

/** Seed 003's coordinator report, per partner and quarter (docs/workforce.md). */
@ApiTags('workforce')
@ApiBearerAuth()
@Controller('api/v1/projects/:code/coordinator-reports')
export class CoordinatorReportsController {
  constructor(private readonly queries: QueryBus) {}

  /** Per worker hours, time ranges and persons; service endings by reason; vacancies; new persons. */
  @Get()
  @Roles('partner-submitter', 'agency-auditor', 'admin')
  @ApiProduces('application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async report(
    @Param('code') code: string,
    @ValidQuery(CoordinatorReportQueryDto) q: CoordinatorReportQueryDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CoordinatorReportView | undefined> {
    const partnerId = requiredPartner(ctx, q.partnerId);
    const dialect = dialectOf(q);
    const figure = figureParams({ ...q, format: q.format === 'csv' ? 'csv' : 'json', dialect: undefined });
    const view = await this.queries.execute<GetCoordinatorReportQuery, CoordinatorReportView>(
      new GetCoordinatorReportQuery({ ...figureQueryOf(code, ctx, figure), partnerId, period: q.period }),
    );
    if (q.format === 'csv' || q.format === 'xlsx') {
      await sendCoordinatorReport(res, view, q.format, dialect);
      return undefined;
    }
    return view;
  }
}
