import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
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
} from '@ihl/application';
import { Ctx, Roles } from '../auth/auth.guard';
import { ownPartnerId } from '../http/partner-scope';
import { commandAnswer, createdAnswer } from '../http/write-answer';
import {
  CONTEXT,
  RECORD_PARAMS,
  RESPONSE,
  defineTableRoutes,
  recordAction,
  recordRead,
  type RecordController,
  type TableHandler,
} from '../http/record-routes';
import { BatchDto, NoteDto, ReasonDto } from './activity.dto';
import { ACTIVITY_ROUTES, type Correction, type Submission } from './activity-routes';

@ApiTags('activities')
@ApiBearerAuth()
@Controller('api/v1/projects/:code/activities')
export class ActivitiesController implements RecordController {
  constructor(
    readonly commands: CommandBus,
    readonly queries: QueryBus,
  ) {}

  /** Records one activity of any kind (the handlers generated from ACTIVITY_ROUTES call this). */
  async record(code: string, ctx: RequestContext, submission: Submission, res: Response) {
    const partnerId = ownPartnerId(ctx, submission.partnerId);
    const r = await this.commands.execute<RecordActivityCommand, RecordActivityResult>(
      new RecordActivityCommand(code, partnerId, submission.input, ctx, submission.activityId),
    );
    return createdAnswer(
      res,
      r,
      { code, collection: 'activities', id: r.activityId },
      { activityId: r.activityId, ...(r.lateEntry ? { lateEntry: r.lateEntry } : {}) },
    );
  }

  /** Corrects one activity of any kind (the handlers generated from ACTIVITY_ROUTES call this). */
  async correct(code: string, id: string, ctx: RequestContext, correction: Correction, res: Response) {
    const command = new CorrectActivityCommand(code, id, correction.input, correction.reason, ctx);
    return commandAnswer(this.commands, res, command, { activityId: id });
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
}

/** The actions on a recorded activity, each `POST :id/<action>`. */
const ACTIONS: readonly TableHandler[] = [
  recordAction('activityId', {
    name: 'void',
    path: ':id/void',
    roles: ['partner-submitter'],
    dto: ReasonDto,
    command: (code, id, dto, ctx) => new VoidActivityCommand(code, id, dto.reason, ctx),
  }),
  recordAction('activityId', {
    name: 'verify',
    path: ':id/verify',
    roles: ['agency-auditor'],
    dto: NoteDto,
    command: (code, id, dto, ctx) => new VerifyActivityCommand(code, id, dto.note, ctx),
  }),
  recordAction('activityId', {
    name: 'reject',
    path: ':id/reject',
    roles: ['agency-auditor'],
    dto: ReasonDto,
    command: (code, id, dto, ctx) => new RejectActivityCommand(code, id, dto.reason, ctx),
  }),
  recordAction('activityId', {
    name: 'approve',
    path: ':id/restatement/approve',
    roles: ['agency-auditor'],
    dto: NoteDto,
    command: (code, id, dto, ctx) => new ApproveRestatementCommand(code, id, dto.note, ctx),
  }),
  recordAction('activityId', {
    name: 'decline',
    path: ':id/restatement/decline',
    roles: ['agency-auditor'],
    dto: ReasonDto,
    command: (code, id, dto, ctx) => new DeclineRestatementCommand(code, id, dto.reason, ctx),
  }),
];

/**
 * Each kind's submit and correct endpoints, generated from the table as if written out in the class
 * (same paths, roles, DTOs, handler names and order), so Nest validates and Swagger documents each
 * with its own DTO; then the actions on a record and its read, in the order they always had.
 */
function activityRoutes(): TableHandler[] {
  const submits = ACTIVITY_ROUTES.map((route): TableHandler => ({
    name: `submit${route.name}`,
    handler: function (this: ActivitiesController, code: string, dto: object, ctx: RequestContext, res: Response) {
      return this.record(code, ctx, route.submission(dto), res);
    },
    decorators: [Post(route.path), HttpCode(201), Roles('partner-submitter')],
    params: [[Param('code'), String], [Body(), route.submitDto], CONTEXT, RESPONSE],
  }));
  const corrections = ACTIVITY_ROUTES.map((route): TableHandler => ({
    name: `correct${route.name}`,
    handler: function (
      this: ActivitiesController,
      code: string,
      id: string,
      dto: object,
      ctx: RequestContext,
      res: Response,
    ) {
      return this.correct(code, id, ctx, route.correction(dto), res);
    },
    decorators: [Post(`${route.path}/:id/corrections`), HttpCode(201), Roles('partner-submitter')],
    params: [...RECORD_PARAMS, [Body(), route.correctDto], CONTEXT, RESPONSE],
  }));
  const read = recordRead<ActivityView>({
    noun: 'activity',
    query: (code, id, ctx, asOf) => new GetActivityQuery({ projectCode: code, activityId: id, actor: ctx.actor, asOf }),
    show: (view) => view,
  });
  return [...submits, ...corrections, ...ACTIONS, read];
}
defineTableRoutes(ActivitiesController.prototype, 'batch', activityRoutes());
