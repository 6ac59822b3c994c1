import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import {
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProduces, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, ValidateBy } from 'class-validator';
import type { Response } from 'express';
import { GetProgressQuery, parseAsOf, type ProgressView, type RequestContext } from '@ihl/application';
import { reportFile } from '@ihl/jobs';
import { API_CONFIG, type ApiSettings } from '../api.settings';
import { Ctx, Roles } from '../auth/auth.guard';
import { IsOneOf, IsOptionalPartnerId } from '../http/dto-rules';
import { figurePartner } from '../http/figure-partner';
import { NoQueryDto } from '../http/position-query';
import { UuidParam } from '../http/uuid-param.pipe';
import { ValidQuery } from '../http/valid-query.decorator';
import { JobQueue } from '../jobs/job-queue.provider';
import { visibleTo } from '../jobs/jobs.controller';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PDF_TYPE = 'application/pdf';
/** Each report format: the job that builds it, and the file it downloads as. */
const REPORT_JOBS = {
  xlsx: { job: 'report-workbook', type: XLSX_TYPE },
  pdf: { job: 'report-pdf', type: PDF_TYPE },
} as const;
type ReportFormat = keyof typeof REPORT_JOBS;
const formatOfJob = (name: string): ReportFormat | undefined =>
  name === 'report-workbook' ? 'xlsx' : name === 'report-pdf' ? 'pdf' : undefined;
const jobPath = (id: string) => `/api/v1/jobs/${id}`;

export class ReportRequestDto {
  @ApiProperty({ enum: ['xlsx', 'pdf'], description: 'xlsx: the workbook of typed sheets; pdf: the report pack' })
  @IsOneOf(['xlsx', 'pdf'])
  format!: ReportFormat;
  @ApiPropertyOptional({ description: 'a day YYYY-MM-DD (end of that day, Vilnius) or a ledger position' })
  @IsOptional()
  @IsString()
  @ValidateBy({
    name: 'date-or-position',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && parseAsOf(v) !== null,
      defaultMessage: () => 'asOf must be a date YYYY-MM-DD or a position',
    },
  })
  asOf?: string;
  @IsOptionalPartnerId() partnerId?: string;
}

/**
 * Report workbooks, built by the worker at one ledger position (report-workbook.job.ts) and kept
 * under DATA_DIR/reports, named by job id; downloaded by whoever may see the job.
 */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1')
export class ReportsController {
  constructor(
    private readonly jobs: JobQueue,
    private readonly queries: QueryBus,
    @Inject(API_CONFIG) private readonly config: ApiSettings,
  ) {}

  /**
   * Progress, volumes, budget, ESF+ and the expenditure register as one XLSX, or the PDF report pack
   * (cover, figures, charts, ESF+ table); a partner's: its own.
   */
  @Post('projects/:code/reports')
  @HttpCode(202)
  @Roles('partner-submitter', 'agency-auditor', 'finance-officer', 'admin')
  async request(
    @Param('code') code: string,
    @Body() body: ReportRequestDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    this.jobs.available(res);
    const partnerId = figurePartner(ctx, body.partnerId);
    const asOf = body.asOf === undefined ? undefined : (parseAsOf(body.asOf) ?? undefined);
    // Asked now, so that an unknown project or partner, or a day to come, is refused here, not in the worker.
    const asked = await this.queries.execute<GetProgressQuery, ProgressView>(
      new GetProgressQuery({ projectCode: code, actor: ctx.actor, asOf, partnerId }),
    );
    const { subject, role } = ctx.actor;
    const actor = { subject, role, ...(ctx.actor.partnerId ? { partnerId: ctx.actor.partnerId } : {}) };
    const payload = {
      projectCode: code,
      format: body.format,
      // Without a point asked for, the head read now: the pack shows the ledger as it was when asked.
      ...(body.asOf ? { asOf: body.asOf } : { position: asked.position }),
      ...(partnerId ? { partnerId } : {}),
      actor,
    };
    const name = REPORT_JOBS[body.format].job;
    const id = await this.jobs.use(res, (p) => p.enqueue(name, payload, actor));
    res.setHeader('Location', jobPath(id));
    return { id, name, state: 'waiting', location: jobPath(id) };
  }

  /** The file a finished report job wrote; 409 while it runs, 404 for a job one may not see. */
  @Get('jobs/:id/result')
  @Roles('admin', 'agency-auditor', 'finance-officer', 'partner-submitter')
  @ApiProduces(XLSX_TYPE, PDF_TYPE)
  async result(
    @Param('id', UuidParam) id: string,
    @ValidQuery(NoQueryDto) _query: NoQueryDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const job = await this.jobs.use(res, (p) => p.find(id));
    const format = job && formatOfJob(job.name);
    if (!job || !visibleTo(job, ctx) || !format) throw new NotFoundException(`no report job ${id}`);
    if (job.state !== 'completed') throw new ConflictException(`report job ${id} is ${job.state}, not completed`);
    const file = reportFile(this.config.dataDir, id, format);
    const size = await stat(file).then(
      (s) => s.size,
      () => null,
    );
    if (size === null) throw new NotFoundException(`the file of report job ${id} is gone`);
    const position = (job.result as { position?: unknown } | null)?.position;
    return new StreamableFile(createReadStream(file), {
      type: REPORT_JOBS[format].type,
      length: size,
      disposition: `attachment; filename="report-${id}${typeof position === 'number' ? `-at-${position}` : ''}.${format}"`,
    });
  }
}
