import { BadRequestException, Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  AUDITED_FIGURES,
  GetFigureEventsQuery,
  type AuditedFigure,
  type FigureEventsView,
  type RequestContext,
} from '@ihl/application';
import { ACTIVITY_KINDS, type ActivityKind } from '@ihl/domain';
import { Ctx, Roles } from '../auth/auth.guard';
import { auditCsv, sendCsv } from '../http/csv-export';
import { ApiFigureQuery, Figure, type FigureParams } from '../http/position-query';

function bad(field: string, rule: string, message: string, value: unknown): never {
  throw new BadRequestException({ message: `${field}: ${message}`, issues: [{ field, rule, message, value }] });
}

function intParam(field: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  if (!/^\d{1,6}$/.test(text) || Number(text) < 1 || Number(text) > max)
    bad(field, 'integer-range', `must be a whole number from 1 to ${max}`, text);
  return Number(text);
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/projects/:code/audit')
export class AuditController {
  constructor(private readonly queries: QueryBus) {}

  /**
   * The events behind a figure, in log order, paged: drill from a number to who did what and when;
   * live, after a write (`?position=`) or as the ledger stood at a day or position (`?asOf=`).
   */
  @Get()
  @Roles('partner-submitter', 'agency-auditor', 'finance-officer', 'admin')
  @ApiQuery({ name: 'figure', enum: AUDITED_FIGURES })
  @ApiQuery({ name: 'partnerId', required: false })
  @ApiQuery({ name: 'categoryId', required: false, description: 'figure=budget only' })
  @ApiQuery({ name: 'kind', required: false, enum: ACTIVITY_KINDS, description: 'figure=volumes only' })
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'pageSize', required: false })
  @ApiFigureQuery()
  async audit(
    @Param('code') code: string,
    @Ctx() ctx: RequestContext,
    @Query('figure') figure: string | undefined,
    @Query('partnerId') partnerId: string | undefined,
    @Query('categoryId') categoryId: string | undefined,
    @Query('kind') kind: string | undefined,
    @Query('page') page: string | undefined,
    @Query('pageSize') pageSize: string | undefined,
    @Figure() params: FigureParams,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (!AUDITED_FIGURES.includes(figure as AuditedFigure))
      bad('figure', 'enum', `must be one of ${AUDITED_FIGURES.join(', ')}`, figure);
    for (const [field, v] of [
      ['partnerId', partnerId],
      ['categoryId', categoryId],
    ] as const) {
      if (v !== undefined && !/^[a-z0-9][a-z0-9-]{0,62}$/.test(v))
        bad(field, 'slug', 'must be lower-case letters, digits and dashes', v);
    }
    // A filter the figure has no use for would be silently ignored: refuse it instead.
    if (categoryId !== undefined && figure !== 'budget')
      bad('categoryId', 'figure-budget-only', 'applies to figure=budget only', categoryId);
    if (kind !== undefined && figure !== 'volumes')
      bad('kind', 'figure-volumes-only', 'applies to figure=volumes only', kind);
    if (kind !== undefined && !ACTIVITY_KINDS.includes(kind as ActivityKind))
      bad('kind', 'enum', `must be one of ${ACTIVITY_KINDS.join(', ')}`, kind);
    const pageOf = intParam('page', page, 1, 100_000);
    const view = await this.queries.execute<GetFigureEventsQuery, FigureEventsView>(
      new GetFigureEventsQuery(
        code,
        ctx.actor,
        figure as AuditedFigure,
        {
          ...(partnerId ? { partnerId } : {}),
          ...(categoryId ? { categoryId } : {}),
          ...(kind ? { kind: kind as ActivityKind } : {}),
        },
        pageOf,
        intParam('pageSize', pageSize, 50, 500),
        params.atLeastPosition,
        params.asOf,
      ),
    );
    res.setHeader('X-Ledger-Position', String(view.position));
    if (params.format === 'csv')
      return sendCsv(res, `audit-${code}-${figure}-p${pageOf}-at-${view.position}`, ...auditCsv(view));
    return view;
  }
}
