import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { ValidationIssue } from '@ihl/domain';
import { validationException } from '../http/validation.pipe';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ApproveRestatementCommand,
  CorrectActivityCommand,
  DeclineRestatementCommand,
  GetActivityQuery,
  RecordActivityCommand,
  RecordActivitiesBatchCommand,
  type BatchItem,
  type BatchResult,
  RejectActivityCommand,
  VerifyActivityCommand,
  VoidActivityCommand,
  type ActivityView,
  type RecordActivityResult,
  type RequestContext,
  type WriteResult,
} from '@ihl/application';
import { Ctx, Roles } from '../auth/auth.guard';
import { ownPartnerId } from '../http/partner-scope';
import { writeAnswer } from '../http/write-answer';
import { RecordQueryDto, asOfOf } from '../http/position-query';
import { ValidQuery } from '../http/valid-query.decorator';
import { historyCsv, sendCsv } from '../http/csv-export';
import { UuidParam } from '../http/uuid-param.pipe';
import { defineTableRoute, keepAfter } from '../http/table-route';
import { BatchDto, NoteDto, ReasonDto } from './activity.dto';
import { ACTIVITY_ROUTES, type Correction, type Submission } from './activity-routes';

@ApiTags('activities')
@ApiBearerAuth()
@Controller('api/v1/projects/:code/activities')
export class ActivitiesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /** Runs a command on one record and answers with its id, revision and position. */
  private async answer(res: Response, command: object, id: string) {
    return writeAnswer(res, await this.commands.execute<object, WriteResult>(command), { activityId: id });
  }

  /** Records one activity of any kind (the handlers generated from ACTIVITY_ROUTES call this). */
  async record(code: string, ctx: RequestContext, submission: Submission, res: Response) {
    const partnerId = ownPartnerId(ctx, submission.partnerId);
    const r = await this.commands.execute<RecordActivityCommand, RecordActivityResult>(
      new RecordActivityCommand(code, partnerId, submission.input, ctx, submission.activityId),
    );
    res.setHeader('Location', `/api/v1/projects/${encodeURIComponent(code)}/activities/${r.activityId}`);
    return writeAnswer(res, r, { activityId: r.activityId });
  }

  /** Corrects one activity of any kind (the handlers generated from ACTIVITY_ROUTES call this). */
  async correct(code: string, id: string, ctx: RequestContext, correction: Correction, res: Response) {
    return this.answer(res, new CorrectActivityCommand(code, id, correction.input, correction.reason, ctx), id);
  }

  @Post('batch')
  @HttpCode(201)
  @Roles('partner-submitter')
  async batch(
    @Param('code') code: string,
    @Body() dto: BatchDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const partnerId = ownPartnerId(ctx, dto.partnerId);
    const issues: ValidationIssue[] = [];
    const items: BatchItem[] = [];
    for (const [i, raw] of dto.records.entries()) {
      const at = `records[${i}]`;
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        issues.push({ field: at, rule: 'object', message: 'must be an object' });
        continue;
      }
      const { kind, ...values }: { kind?: unknown } = raw;
      const route = ACTIVITY_ROUTES.find((r) => r.kind === kind);
      if (!route) {
        issues.push({
          field: `${at}.kind`,
          rule: 'enum',
          message: `must be one of ${ACTIVITY_ROUTES.map((r) => r.kind).join(', ')}`,
          value: kind,
        });
        continue;
      }
      const record = await route.batchRecord(values, at);
      if ('issues' in record) {
        issues.push(...record.issues);
        continue;
      }
      if (record.partnerId !== undefined) ownPartnerId(ctx, record.partnerId);
      items.push(record.item);
    }
    if (issues.length > 0) throw validationException(issues);
    const results = await this.commands.execute<RecordActivitiesBatchCommand, BatchResult>(
      new RecordActivitiesBatchCommand(code, partnerId, items, ctx),
    );
    res.status(results.some((r) => r.changed) ? 201 : 200);
    return { records: results.map(({ changed: _c, ...r }) => r) };
  }

  @Post(':id/void')
  @HttpCode(201)
  @Roles('partner-submitter')
  async void(
    @Param('code') code: string,
    @Param('id', UuidParam) id: string,
    @Body() dto: ReasonDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.answer(res, new VoidActivityCommand(code, id, dto.reason, ctx), id);
  }
  @Post(':id/verify')
  @HttpCode(201)
  @Roles('agency-auditor')
  async verify(
    @Param('code') code: string,
    @Param('id', UuidParam) id: string,
    @Body() dto: NoteDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.answer(res, new VerifyActivityCommand(code, id, dto.note, ctx), id);
  }
  @Post(':id/reject')
  @HttpCode(201)
  @Roles('agency-auditor')
  async reject(
    @Param('code') code: string,
    @Param('id', UuidParam) id: string,
    @Body() dto: ReasonDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.answer(res, new RejectActivityCommand(code, id, dto.reason, ctx), id);
  }
  @Post(':id/restatement/approve')
  @HttpCode(201)
  @Roles('agency-auditor')
  async approve(
    @Param('code') code: string,
    @Param('id', UuidParam) id: string,
    @Body() dto: NoteDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.answer(res, new ApproveRestatementCommand(code, id, dto.note, ctx), id);
  }
  @Post(':id/restatement/decline')
  @HttpCode(201)
  @Roles('agency-auditor')
  async decline(
    @Param('code') code: string,
    @Param('id', UuidParam) id: string,
    @Body() dto: ReasonDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.answer(res, new DeclineRestatementCommand(code, id, dto.reason, ctx), id);
  }

  @Get(':id')
  @Roles('partner-submitter', 'agency-auditor', 'finance-officer', 'admin')
  async get(
    @Param('code') code: string,
    @Param('id', UuidParam) id: string,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
    @ValidQuery(RecordQueryDto) query: RecordQueryDto,
  ) {
    const csv = query.format === 'csv';
    const view = await this.queries.execute<GetActivityQuery, ActivityView>(
      new GetActivityQuery({ projectCode: code, activityId: id, actor: ctx.actor, asOf: asOfOf(query.asOf) }),
    );
    res.setHeader('ETag', `"${view.revision}"`);
    if (csv) return sendCsv(res, `activity-${id}-r${view.revision}`, ...historyCsv(view.history));
    return view;
  }
}

/**
 * Each kind's submit and correct endpoints, generated from the table as if written out in the class
 * (same paths, roles, DTOs, handler names and order), so Nest validates and Swagger documents each
 * with its own DTO.
 */
function registerActivityRoutes(): void {
  const proto = ActivitiesController.prototype;
  const added: string[] = [];
  const body = (type: unknown) => [Body(), type] as const;
  for (const route of ACTIVITY_ROUTES) {
    defineTableRoute(
      proto,
      `submit${route.name}`,
      function (this: ActivitiesController, code: string, dto: object, ctx: RequestContext, res: Response) {
        return this.record(code, ctx, route.submission(dto), res);
      },
      [Post(route.path), HttpCode(201), Roles('partner-submitter')],
      [[Param('code'), String], body(route.submitDto), [Ctx(), Object], [Res({ passthrough: true }), Object]],
    );
    added.push(`submit${route.name}`);
  }
  for (const route of ACTIVITY_ROUTES) {
    defineTableRoute(
      proto,
      `correct${route.name}`,
      function (this: ActivitiesController, code: string, id: string, dto: object, ctx: RequestContext, res: Response) {
        return this.correct(code, id, ctx, route.correction(dto), res);
      },
      [Post(`${route.path}/:id/corrections`), HttpCode(201), Roles('partner-submitter')],
      [
        [Param('code'), String],
        [Param('id', UuidParam), String],
        body(route.correctDto),
        [Ctx(), Object],
        [Res({ passthrough: true }), Object],
      ],
    );
    added.push(`correct${route.name}`);
  }
  keepAfter(proto, 'batch', added);
}
registerActivityRoutes();
