import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { ValidationIssue } from '@ihl/domain';
import { flatten, validationException } from '../http/validation.pipe';
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
  type ActivityInput,
  type ActivityView,
  type RecordActivityResult,
  type RequestContext,
  type WriteResult,
} from '@ihl/application';
import { Ctx, Roles } from '../auth/auth.guard';
import { moneyToCents } from '../http/dto-rules';
import { ownPartnerId } from '../http/partner-scope';
import { writeAnswer } from '../http/write-answer';
import { RecordQueryDto, asOfOf } from '../http/position-query';
import { ValidQuery } from '../http/valid-query.decorator';
import { historyCsv, sendCsv } from '../http/csv-export';
import { UuidParam } from '../http/uuid-param.pipe';
import {
  BatchDto,
  CorrectCaregiverConsultationDto,
  CorrectEquipmentProcuredDto,
  CorrectPromotionEventDto,
  CorrectPsychologicalSupportDto,
  CorrectServiceDeliveredDto,
  CorrectTrainingHeldDto,
  EquipmentProcuredValues,
  NoteDto,
  ReasonDto,
  SubmitCaregiverConsultationDto,
  SubmitEquipmentProcuredDto,
  SubmitPromotionEventDto,
  SubmitPsychologicalSupportDto,
  SubmitServiceDeliveredDto,
  SubmitTrainingHeldDto,
} from './activity.dto';

function strip<T extends object>(dto: T, ...keys: string[]): Record<string, unknown> {
  const copy: Record<string, unknown> = JSON.parse(JSON.stringify(dto));
  for (const k of keys) delete copy[k];
  return copy;
}

const BATCH_KINDS = {
  'service-delivered': SubmitServiceDeliveredDto,
  'caregiver-consultation': SubmitCaregiverConsultationDto,
  'psychological-support': SubmitPsychologicalSupportDto,
  'training-held': SubmitTrainingHeldDto,
  'equipment-procured': SubmitEquipmentProcuredDto,
  'promotion-event': SubmitPromotionEventDto,
} as const;

function equipment(dto: EquipmentProcuredValues & object): Record<string, unknown> {
  const { unitPrice, total, ...rest } = strip(dto, 'activityId', 'partnerId', 'reason') as Record<string, unknown> & {
    unitPrice: string;
    total: string;
  };
  return { ...rest, unitPriceCents: moneyToCents(unitPrice), totalCents: moneyToCents(total) };
}

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

  private async record(
    code: string,
    ctx: RequestContext,
    dto: { activityId?: string; partnerId?: string },
    input: Record<string, unknown>,
    res: Response,
  ) {
    const partnerId = ownPartnerId(ctx, dto.partnerId);
    const r = await this.commands.execute<RecordActivityCommand, RecordActivityResult>(
      new RecordActivityCommand(code, partnerId, input as unknown as ActivityInput, ctx, dto.activityId),
    );
    res.setHeader('Location', `/api/v1/projects/${encodeURIComponent(code)}/activities/${r.activityId}`);
    return writeAnswer(res, r, { activityId: r.activityId });
  }

  private async correct(
    code: string,
    id: string,
    ctx: RequestContext,
    dto: { reason: string },
    input: Record<string, unknown>,
    res: Response,
  ) {
    return this.answer(
      res,
      new CorrectActivityCommand(code, id, input as unknown as ActivityInput, dto.reason, ctx),
      id,
    );
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
      const { kind, ...values } = raw as Record<string, unknown>;
      const Dto = BATCH_KINDS[kind as keyof typeof BATCH_KINDS];
      if (!Dto) {
        issues.push({
          field: `${at}.kind`,
          rule: 'enum',
          message: `must be one of ${Object.keys(BATCH_KINDS).join(', ')}`,
          value: kind as never,
        });
        continue;
      }
      const instance = plainToInstance(Dto as new () => object, values);
      const errors = await validate(instance, {
        whitelist: true,
        forbidNonWhitelisted: true,
        forbidUnknownValues: true,
      });
      if (errors.length > 0) {
        issues.push(...flatten(errors, at));
        continue;
      }
      const record = instance as { activityId?: string; partnerId?: string };
      if (record.partnerId !== undefined) ownPartnerId(ctx, record.partnerId);
      const input =
        kind === 'equipment-procured'
          ? equipment(instance as EquipmentProcuredValues)
          : strip(instance, 'activityId', 'partnerId');
      items.push({
        input: { kind, ...input } as unknown as ActivityInput,
        ...(record.activityId ? { activityId: record.activityId } : {}),
      });
    }
    if (issues.length > 0) throw validationException(issues);
    const results = await this.commands.execute<RecordActivitiesBatchCommand, BatchResult>(
      new RecordActivitiesBatchCommand(code, partnerId, items, ctx),
    );
    res.status(results.some((r) => r.changed) ? 201 : 200);
    return { records: results.map(({ changed: _c, ...r }) => r) };
  }

  @Post('service-deliveries')
  @HttpCode(201)
  @Roles('partner-submitter')
  submitService(
    @Param('code') code: string,
    @Body() dto: SubmitServiceDeliveredDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.record(code, ctx, dto, { kind: 'service-delivered', ...strip(dto, 'activityId', 'partnerId') }, res);
  }
  @Post('caregiver-consultations')
  @HttpCode(201)
  @Roles('partner-submitter')
  submitConsultation(
    @Param('code') code: string,
    @Body() dto: SubmitCaregiverConsultationDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.record(
      code,
      ctx,
      dto,
      { kind: 'caregiver-consultation', ...strip(dto, 'activityId', 'partnerId') },
      res,
    );
  }
  @Post('psychological-support')
  @HttpCode(201)
  @Roles('partner-submitter')
  submitPsych(
    @Param('code') code: string,
    @Body() dto: SubmitPsychologicalSupportDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.record(
      code,
      ctx,
      dto,
      { kind: 'psychological-support', ...strip(dto, 'activityId', 'partnerId') },
      res,
    );
  }
  @Post('trainings')
  @HttpCode(201)
  @Roles('partner-submitter')
  submitTraining(
    @Param('code') code: string,
    @Body() dto: SubmitTrainingHeldDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.record(code, ctx, dto, { kind: 'training-held', ...strip(dto, 'activityId', 'partnerId') }, res);
  }
  @Post('equipment-procurements')
  @HttpCode(201)
  @Roles('partner-submitter')
  submitEquipment(
    @Param('code') code: string,
    @Body() dto: SubmitEquipmentProcuredDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.record(code, ctx, dto, { kind: 'equipment-procured', ...equipment(dto) }, res);
  }
  @Post('promotion-events')
  @HttpCode(201)
  @Roles('partner-submitter')
  submitEvent(
    @Param('code') code: string,
    @Body() dto: SubmitPromotionEventDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.record(code, ctx, dto, { kind: 'promotion-event', ...strip(dto, 'activityId', 'partnerId') }, res);
  }

  @Post('service-deliveries/:id/corrections')
  @HttpCode(201)
  @Roles('partner-submitter')
  correctService(
    @Param('code') code: string,
    @Param('id', UuidParam) id: string,
    @Body() dto: CorrectServiceDeliveredDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.correct(code, id, ctx, dto, { kind: 'service-delivered', ...strip(dto, 'reason') }, res);
  }
  @Post('caregiver-consultations/:id/corrections')
  @HttpCode(201)
  @Roles('partner-submitter')
  correctConsultation(
    @Param('code') code: string,
    @Param('id', UuidParam) id: string,
    @Body() dto: CorrectCaregiverConsultationDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.correct(code, id, ctx, dto, { kind: 'caregiver-consultation', ...strip(dto, 'reason') }, res);
  }
  @Post('psychological-support/:id/corrections')
  @HttpCode(201)
  @Roles('partner-submitter')
  correctPsych(
    @Param('code') code: string,
    @Param('id', UuidParam) id: string,
    @Body() dto: CorrectPsychologicalSupportDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.correct(code, id, ctx, dto, { kind: 'psychological-support', ...strip(dto, 'reason') }, res);
  }
  @Post('trainings/:id/corrections')
  @HttpCode(201)
  @Roles('partner-submitter')
  correctTraining(
    @Param('code') code: string,
    @Param('id', UuidParam) id: string,
    @Body() dto: CorrectTrainingHeldDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.correct(code, id, ctx, dto, { kind: 'training-held', ...strip(dto, 'reason') }, res);
  }
  @Post('equipment-procurements/:id/corrections')
  @HttpCode(201)
  @Roles('partner-submitter')
  correctEquipment(
    @Param('code') code: string,
    @Param('id', UuidParam) id: string,
    @Body() dto: CorrectEquipmentProcuredDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.correct(code, id, ctx, dto, { kind: 'equipment-procured', ...equipment(dto) }, res);
  }
  @Post('promotion-events/:id/corrections')
  @HttpCode(201)
  @Roles('partner-submitter')
  correctEvent(
    @Param('code') code: string,
    @Param('id', UuidParam) id: string,
    @Body() dto: CorrectPromotionEventDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.correct(code, id, ctx, dto, { kind: 'promotion-event', ...strip(dto, 'reason') }, res);
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
      new GetActivityQuery(code, id, ctx.actor, asOfOf(query.asOf)),
    );
    res.setHeader('ETag', `"${view.revision}"`);
    if (csv) return sendCsv(res, `activity-${id}-r${view.revision}`, ...historyCsv(view.history));
    return view;
  }
}
