import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  GetEsfIndicatorsQuery,
  GetIatiActivityQuery,
  type AsOf,
  type EsfIndicatorRow,
  type EsfIndicatorTable,
  type IatiActivityExport,
  type RequestContext,
} from '@ihl/application';
import { stampJson, stampXml } from '@ihl/jobs';
import { Ctx, Roles } from '../auth/auth.guard';
import { sendCsv } from '../http/csv-export';
import { exportStamp } from './export-stamp';
import {
  FigureQueryDto,
  IsAsOfParameter,
  IsFormatParameter,
  IsPositionParameter,
  figureParams,
  figureQueryOf,
} from '../http/position-query';
import { ValidQuery } from '../http/valid-query.decorator';

/** The IATI file is XML only; `format=xml` is accepted so a client may say so. */
export class IatiQueryDto {
  @IsPositionParameter() position?: string;
  @IsAsOfParameter('the file') asOf?: string;
  @IsFormatParameter(['xml'], 'the IATI export is XML only (omit format or use xml)') format?: string;
}

/**
 * Reports built from the figures, each at one ledger position (answered in `X-Ledger-Position`
 * and the file name): `?asOf=<position>` later gives the same report again.
 */
@ApiTags('exports')
@ApiBearerAuth()
@Controller('api/v1/projects/:code/exports')
export class ExportsController {
  constructor(private readonly queries: QueryBus) {}

  /**
   * ESF+ common indicators (participants by gender, age band, disability) and the project's own
   * unique-persons indicator, per partner, to date and per reporting period. Partners: their own.
   */
  @Get('esf-indicators')
  @Roles('partner-submitter', 'agency-auditor', 'finance-officer', 'admin')
  async esfIndicators(
    @Param('code') code: string,
    @ValidQuery(FigureQueryDto) query: FigureQueryDto,
    @Res({ passthrough: true }) res: Response,
    @Ctx() ctx: RequestContext,
  ) {
    const figure = figureParams(query);
    const table = await this.queries.execute<GetEsfIndicatorsQuery, EsfIndicatorTable>(
      new GetEsfIndicatorsQuery(figureQueryOf(code, ctx, figure)),
    );
    res.setHeader('X-Ledger-Position', String(table.position));
    if (figure.format === 'csv')
      return sendCsv(
        res,
        `esf-indicators-${code}-at-${table.position}${onDay(figure.asOf)}`,
        ...esfIndicatorsCsv(table),
        figure.dialect,
        table.position,
      );
    return stampJson(table, await exportStamp(res, table.position));
  }

  /** The project as an IATI 2.03 activity file (budget, verified expenditure, persons reached). */
  @Get('iati')
  @Roles('agency-auditor', 'finance-officer', 'admin')
  @ApiProduces('application/xml')
  async iati(
    @Param('code') code: string,
    @ValidQuery(IatiQueryDto) query: IatiQueryDto,
    @Res({ passthrough: true }) res: Response,
    @Ctx() ctx: RequestContext,
  ): Promise<void> {
    const figure = figureParams(query);
    const point = figure.asOf;
    const file = await this.queries.execute<GetIatiActivityQuery, IatiActivityExport>(
      new GetIatiActivityQuery(figureQueryOf(code, ctx, figure)),
    );
    res.setHeader('Content-Type', 'application/xml; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="iati-${code}-at-${file.position}${onDay(point)}.xml"`);
    res.setHeader('X-Ledger-Position', String(file.position));
    // The checkpoint it was built on, as a comment readers skip: `ledger verify --report` proves it.
    res.send(stampXml(file.xml, await exportStamp(res, file.position)));
  }
}

/**
 * A file asked for a day counts that day as today (its reporting periods run to it): the same
 * position asked by position may give another file, so the name says the day too.
 */
function onDay(asOf: AsOf | undefined): string {
  return asOf && 'date' in asOf ? `-on-${asOf.date}` : '';
}

/** One line per row: to date ("all"), then each period; one column per partner shown. */
function esfIndicatorsCsv(t: EsfIndicatorTable): [string[], (string | number)[][]] {
  const line = (period: string, start: string, end: string, r: EsfIndicatorRow) => [
    period,
    start,
    end,
    r.code ?? '',
    r.name,
    r.breakdown ?? '',
    r.value,
    r.target ?? '',
    ...t.partners.map((p) => r.byPartner[p] ?? 0),
  ];
  return [
    ['period', 'period_start', 'period_end', 'code', 'indicator', 'breakdown', 'value', 'target', ...t.partners],
    [
      ...t.rows.map((r) => line('all', '', '', r)),
      ...t.periods.flatMap((p) => p.rows.map((r) => line(p.id, p.start, p.end, r))),
    ],
  ];
}
