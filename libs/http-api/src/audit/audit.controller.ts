import { BadRequestException, Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
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
import {
  FigureQueryDto,
  IsFormatParameter,
  IsSlugParameter,
  QueryRule,
  figureParams,
  figureQueryOf,
} from '../http/position-query';
import { ValidQuery } from '../http/valid-query.decorator';
import { sendAuditWorkbook } from './audit-export';

function bad(field: string, rule: string, message: string, value: unknown): never {
  throw new BadRequestException({ message: `${field}: ${message}`, issues: [{ field, rule, message, value }] });
}

const IntegerUpTo = (max: number) =>
  QueryRule(
    'integer-range',
    (v) => /^\d{1,6}$/.test(v) && Number(v) >= 1 && Number(v) <= max,
    `must be a whole number from 1 to ${max}`,
  );

const PERIOD = /^\d{4}-(Q[1-4]|0[1-9]|1[0-2])$/;

export class AuditQueryDto extends FigureQueryDto {
  @IsFormatParameter(['json', 'csv', 'xlsx'], 'csv and xlsx: the page as a file') declare format?: string;
  @ApiProperty({ enum: AUDITED_FIGURES, description: `one of ${AUDITED_FIGURES.join(', ')}` })
  @QueryRule(
    'enum',
    (v) => AUDITED_FIGURES.includes(v as AuditedFigure),
    `must be one of ${AUDITED_FIGURES.join(', ')}`,
  )
  figure!: AuditedFigure;
  @IsSlugParameter("one partner's events (a partner's token: its own, whatever it names)") partnerId?: string;
  @IsSlugParameter('figure=budget only: one budget category') categoryId?: string;
  @IsSlugParameter('figure=sco only (and required there): the simplified cost option whose amount is audited')
  optionId?: string;
  @ApiPropertyOptional({
    type: String,
    description:
      'figure=sco only: the records reported by this period (2024-Q2, 2024-05), as a payment claim counts them',
  })
  @IsOptional()
  @QueryRule('reporting-period', (v) => PERIOD.test(v), 'must be a reporting period such as 2024-Q2 or 2024-05')
  reportedBy?: string;
  @ApiPropertyOptional({
    enum: ACTIVITY_KINDS,
    description: `figure=volumes only: one of ${ACTIVITY_KINDS.join(', ')}`,
  })
  @IsOptional()
  @QueryRule('enum', (v) => ACTIVITY_KINDS.includes(v as ActivityKind), `must be one of ${ACTIVITY_KINDS.join(', ')}`)
  kind?: ActivityKind;
  @ApiPropertyOptional({ type: String, description: 'from 1; a deep page costs more than `after`' })
  @IsOptional()
  @IntegerUpTo(100_000)
  page?: string;
  @ApiPropertyOptional({
    type: String,
    description:
      'the page after this ledger position (0: the first), at the cost of the first page; the answer names the next',
  })
  @IsOptional()
  @QueryRule(
    'position',
    (v) => /^\d{1,15}$/.test(v) && Number.isSafeInteger(Number(v)),
    'must be a ledger position (0 or more)',
  )
  after?: string;
  @ApiPropertyOptional({ type: String, description: '1 to 500, 50 unless given' })
  @IsOptional()
  @IntegerUpTo(500)
  pageSize?: string;
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
  async audit(
    @Param('code') code: string,
    @Ctx() ctx: RequestContext,
    @ValidQuery(AuditQueryDto) query: AuditQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { figure, partnerId, categoryId, kind, optionId } = query;
    // A filter the figure has no use for would be silently ignored: refuse it instead.
    if (categoryId !== undefined && figure !== 'budget')
      bad('categoryId', 'figure-budget-only', 'applies to figure=budget only', categoryId);
    if (kind !== undefined && figure !== 'volumes')
      bad('kind', 'figure-volumes-only', 'applies to figure=volumes only', kind);
    if (optionId !== undefined && figure !== 'sco')
      bad('optionId', 'figure-sco-only', 'applies to figure=sco only', optionId);
    if (query.reportedBy !== undefined && figure !== 'sco')
      bad('reportedBy', 'figure-sco-only', 'applies to figure=sco only', query.reportedBy);
    if (optionId === undefined && figure === 'sco')
      bad('optionId', 'required', 'figure=sco needs the option (optionId)', optionId);
    if (query.after !== undefined && query.page !== undefined)
      bad('after', 'after-or-page', 'give either after (the cursor) or page, not both', query.after);
    const params = figureParams(query);
    const pageOf = query.page === undefined ? 1 : Number(query.page);
    const after = query.after === undefined ? undefined : Number(query.after);
    const view = await this.queries.execute<GetFigureEventsQuery, FigureEventsView>(
      new GetFigureEventsQuery({
        ...figureQueryOf(code, ctx, params),
        figure,
        filters: {
          ...(partnerId ? { partnerId } : {}),
          ...(categoryId ? { categoryId } : {}),
          ...(kind ? { kind } : {}),
          ...(optionId ? { optionId } : {}),
          ...(query.reportedBy ? { reportedBy: query.reportedBy } : {}),
        },
        page: pageOf,
        pageSize: query.pageSize === undefined ? 50 : Number(query.pageSize),
        ...(after === undefined ? {} : { after }),
      }),
    );
    res.setHeader('X-Ledger-Position', String(view.position));
    const name = `audit-${code}-${figure}-${after === undefined ? `p${pageOf}` : `after${after}`}-at-${view.position}`;
    if (query.format === 'xlsx') return sendAuditWorkbook(res, name, view);
    if (params.format === 'csv') return sendCsv(res, name, ...auditCsv(view), params.dialect, view.position);
    return view;
  }
}
