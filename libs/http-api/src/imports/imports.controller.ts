import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BadRequestException,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { GetProjectQuery, type ProjectView, type RequestContext } from '@ihl/application';
import { IMPORT_KINDS, importTemplate, isImportKind, type ImportSummary } from '@ihl/imports';
import { importsDir, type ImportFilePayload, type JobView } from '@ihl/jobs';
import { API_CONFIG, type ApiSettings } from '../api.settings';
import { Ctx, Roles } from '../auth/auth.guard';
import { excelCsvOf } from '../http/csv-export';
import { ownPartnerId } from '../http/partner-scope';
import { NoQueryDto } from '../http/position-query';
import { UuidParam } from '../http/uuid-param.pipe';
import { ValidQuery } from '../http/valid-query.decorator';
import { JobQueue } from '../jobs/job-queue.provider';
import { visibleTo } from '../jobs/jobs.controller';
import { ImportErrorsCsvQueryDto } from './import-errors-query.dto';
import { saveUpload, type SavedUpload } from './import-upload';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const importPath = (code: string, id: string) => `/api/v1/projects/${code}/imports/${id}`;
const FIELDS = ['dryRun', 'kind', 'partnerId'];

/**
 * File imports of activity records and expenditures: the upload is kept under DATA_DIR/imports, a
 * job (import-file.job.ts) runs it through the API's validation and commands; its progress, summary
 * and row-error files are read here. The roles are those of record submission: a partner, its own rows.
 */
@ApiTags('imports')
@ApiBearerAuth()
@Controller('api/v1/projects/:code/imports')
export class ImportsController {
  constructor(
    private readonly jobs: JobQueue,
    private readonly queries: QueryBus,
    @Inject(API_CONFIG) private readonly config: ApiSettings,
  ) {}

  /** The template: one sheet per record kind, Lithuanian and English headers, drop-down lists, an example row. */
  @Get('template.xlsx')
  @Roles('partner-submitter', 'agency-auditor', 'finance-officer', 'admin')
  @ApiProduces(XLSX_TYPE)
  async template(@Param('code') code: string, @ValidQuery(NoQueryDto) _query: NoQueryDto): Promise<StreamableFile> {
    const project = await this.queries.execute<GetProjectQuery, ProjectView>(new GetProjectQuery(code));
    const categories = project.definition.budgetCategories.map((c) => c.id);
    return new StreamableFile(await importTemplate({ categories }), {
      type: XLSX_TYPE,
      disposition: `attachment; filename="import-template-${code}.xlsx"`,
    });
  }

  /** Multipart: `file` (.csv or .xlsx), `dryRun` (true|false), `kind` (a CSV's, when it has no kind column). */
  @Post()
  @HttpCode(202)
  @Roles('partner-submitter')
  @ApiConsumes('multipart/form-data')
  async upload(
    @Param('code') code: string,
    @Ctx() ctx: RequestContext,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    this.jobs.available(res);
    ownPartnerId(ctx, undefined);
    // An unknown project is refused here; a partner the project does not know, by the commands.
    await this.queries.execute<GetProjectQuery, ProjectView>(new GetProjectQuery(code));
    const saved = await saveUpload(req, res, importsDir(this.config.dataDir));
    try {
      const payload = payloadOf(code, ctx, saved);
      const id = await this.jobs.use(res, (p) => p.enqueue('import-file', payload, payload.actor));
      res.setHeader('Location', importPath(code, id));
      return { id, name: 'import-file', state: 'waiting', dryRun: payload.dryRun, location: importPath(code, id) };
    } catch (e) {
      await rm(saved.path, { force: true });
      throw e;
    }
  }

  /** Progress (rows done of total) while it runs, then the summary and where its row errors are. */
  @Get(':id')
  @Roles('partner-submitter')
  async get(
    @Param('code') code: string,
    @Param('id', UuidParam) id: string,
    @ValidQuery(NoQueryDto) _query: NoQueryDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const job = await this.importJob(code, id, ctx, res);
    const summary = summaryOf(job);
    const base = importPath(code, id);
    return {
      id,
      state: job.state,
      progress: job.progress,
      summary,
      errors: summary?.errorFiles ? { csv: `${base}/errors.csv`, xlsx: `${base}/errors.xlsx` } : null,
      failedReason: job.failedReason,
      createdAt: job.createdAt,
      finishedAt: job.finishedAt,
    };
  }

  /** The row errors (sheet, row, column, value, rule, message) as CSV; a personal code is masked. */
  @Get(':id/errors.csv')
  @Roles('partner-submitter')
  @ApiProduces('text/csv')
  errorsCsv(
    @Param('code') code: string,
    @Param('id', UuidParam) id: string,
    @ValidQuery(ImportErrorsCsvQueryDto) query: ImportErrorsCsvQueryDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    return this.errorFile(code, id, ctx, res, query.dialect === 'excel' ? 'excel' : 'csv');
  }

  /** The same row errors as an XLSX sheet. */
  @Get(':id/errors.xlsx')
  @Roles('partner-submitter')
  @ApiProduces(XLSX_TYPE)
  errorsXlsx(
    @Param('code') code: string,
    @Param('id', UuidParam) id: string,
    @ValidQuery(NoQueryDto) _query: NoQueryDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    return this.errorFile(code, id, ctx, res, 'xlsx');
  }

  /** `excel`: the CSV (kept in the standard dialect) converted as it is sent. */
  private async errorFile(
    code: string,
    id: string,
    ctx: RequestContext,
    res: Response,
    format: 'csv' | 'excel' | 'xlsx',
  ): Promise<StreamableFile> {
    const job = await this.importJob(code, id, ctx, res);
    if (job.state !== 'completed') throw new ConflictException(`import ${id} is ${job.state}, not completed`);
    const files = summaryOf(job)?.errorFiles;
    if (!files) throw new NotFoundException(`import ${id} refused no row: it has no row errors`);
    const file = join(importsDir(this.config.dataDir), files[format === 'xlsx' ? 'xlsx' : 'csv']);
    const size = await stat(file).then(
      (s) => s.size,
      () => null,
    );
    if (size === null) throw new NotFoundException(`the row errors of import ${id} are gone`);
    const disposition = `attachment; filename="import-${id}-errors.${format === 'xlsx' ? 'xlsx' : 'csv'}"`;
    if (format === 'excel')
      return new StreamableFile(excelCsvOf(createReadStream(file)), { type: 'text/csv; charset=utf-8', disposition });
    return new StreamableFile(createReadStream(file), {
      type: format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE,
      length: size,
      disposition,
    });
  }

  /** The import job, for its requester only (anyone else: 404, as if there were none). */
  private async importJob(code: string, id: string, ctx: RequestContext, res: Response): Promise<JobView> {
    const job = await this.jobs.use(res, (p) => p.find(id));
    if (!job || job.name !== 'import-file' || !visibleTo(job, ctx)) throw new NotFoundException(`no import ${id}`);
    const summary = summaryOf(job);
    if (summary && summary.projectCode !== code) throw new NotFoundException(`no import ${id}`);
    return job;
  }
}

function summaryOf(job: JobView): ImportSummary | null {
  const r = job.result as ImportSummary | null;
  return r && typeof r === 'object' && typeof r.importId === 'string' ? r : null;
}

/** The job's payload from the multipart fields: each named, checked, and the partner's own. */
function payloadOf(code: string, ctx: RequestContext, saved: SavedUpload): ImportFilePayload {
  const fields = { ...saved.fields };
  const issues: { field: string; rule: string; message: string }[] = [];
  for (const f of Object.keys(fields))
    if (!FIELDS.includes(f)) issues.push({ field: f, rule: 'unknown-field', message: 'is not a field of an import' });
  const dryRun = fields.dryRun ?? 'false';
  if (dryRun !== 'true' && dryRun !== 'false')
    issues.push({ field: 'dryRun', rule: 'boolean', message: 'must be true or false' });
  const kind = fields.kind;
  if (kind !== undefined && !isImportKind(kind))
    issues.push({ field: 'kind', rule: 'enum', message: `must be one of ${IMPORT_KINDS.join(', ')}` });
  if (issues.length > 0)
    throw new BadRequestException({ message: issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues });
  const partnerId = ownPartnerId(ctx, typeof fields.partnerId === 'string' ? fields.partnerId : undefined);
  const { subject, role } = ctx.actor;
  return {
    projectCode: code,
    partnerId,
    file: saved.name,
    format: saved.format,
    ...(typeof kind === 'string' ? { kind } : {}),
    dryRun: dryRun === 'true',
    actor: { subject, role, partnerId },
  };
}
