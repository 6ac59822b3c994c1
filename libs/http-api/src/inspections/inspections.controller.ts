import { BadRequestException, Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  EscalateFindingCommand,
  GetInspectionQuery,
  ListInspectionsQuery,
  RecordFindingCommand,
  RecordInspectionCommand,
  ResolveFindingCommand,
  RespondToFindingCommand,
  type InspectionListView,
  type InspectionView,
  type RequestContext,
  type WriteResult,
} from '@ihl/application';
import type { FindingSeverity, InspectionKind } from '@ihl/domain';
import { Ctx, Roles } from '../auth/auth.guard';
import { asOfOf, figureParams, figureQueryOf } from '../http/position-query';
import { UuidParam } from '../http/uuid-param.pipe';
import { ValidQuery } from '../http/valid-query.decorator';
import { commandAnswer, createdAnswer } from '../http/write-answer';
import {
  EscalateFindingDto,
  FINDING_ID,
  InspectionQueryDto,
  RecordFindingDto,
  RecordInspectionDto,
  ResolveFindingDto,
  RespondToFindingDto,
} from './inspection.dto';
import { InspectionListQueryDto, decodeInspectionCursor, encodeInspectionCursor } from './inspection-list.dto';

function findingIdOf(findingId: string): string {
  if (FINDING_ID.test(findingId)) return findingId;
  throw new BadRequestException({
    message: 'findingId: must be 1-64 letters, digits, dots, dashes or underscores',
    issues: [{ field: 'findingId', rule: 'ref', message: 'must be 1-64 letters, digits, dots, dashes or underscores' }],
  });
}

/**
 * Inspections of partners' services and their findings (docs/quality.md): the agency auditor records
 * and closes them, the inspected partner reads its own and responds; finance does not take part.
 */
@ApiTags('quality')
@ApiBearerAuth()
@Controller('api/v1/projects/:code/inspections')
export class InspectionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('agency-auditor')
  async record(
    @Param('code') code: string,
    @Body() dto: RecordInspectionDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { kind, ...rest } = dto;
    const r = await this.commands.execute<RecordInspectionCommand, WriteResult>(
      new RecordInspectionCommand({ ...rest, projectCode: code, kind: kind as InspectionKind }, ctx),
    );
    const id = dto.inspectionId;
    return createdAnswer(res, r, { code, collection: 'inspections', id }, { inspectionId: id });
  }

  /** The project's inspections (a partner: its own), paged by a cursor, as of a point like the figures. */
  @Get()
  @Roles('agency-auditor', 'partner-submitter', 'admin')
  async list(
    @Param('code') code: string,
    @ValidQuery(InspectionListQueryDto) q: InspectionListQueryDto,
    @Ctx() ctx: RequestContext,
  ) {
    const view = await this.queries.execute<ListInspectionsQuery, InspectionListView>(
      new ListInspectionsQuery({
        ...figureQueryOf(code, ctx, figureParams(q)),
        partnerId: q.partnerId,
        status: q.status ?? 'all',
        after: q.after === undefined ? null : decodeInspectionCursor(q.after),
        limit: q.limit === undefined ? 50 : Number(q.limit),
      }),
    );
    return { ...view, next: view.next ? encodeInspectionCursor(view.next) : null };
  }

  @Get(':inspectionId')
  @Roles('agency-auditor', 'partner-submitter', 'admin')
  async get(
    @Param('code') code: string,
    @Param('inspectionId', UuidParam) inspectionId: string,
    @ValidQuery(InspectionQueryDto) q: InspectionQueryDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const view = await this.queries.execute<GetInspectionQuery, InspectionView>(
      new GetInspectionQuery({ projectCode: code, actor: ctx.actor, asOf: asOfOf(q.asOf), inspectionId }),
    );
    res.setHeader('ETag', `"${view.revision}"`);
    return view;
  }

  @Post(':inspectionId/findings')
  @Roles('agency-auditor')
  async find(
    @Param('code') code: string,
    @Param('inspectionId', UuidParam) inspectionId: string,
    @Body() dto: RecordFindingDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = { ...dto, severity: dto.severity as FindingSeverity };
    const command = new RecordFindingCommand(code, inspectionId, input, ctx);
    return commandAnswer(this.commands, res, command, { inspectionId, findingId: dto.findingId });
  }

  @Post(':inspectionId/findings/:findingId/response')
  @Roles('partner-submitter')
  async respond(
    @Param('code') code: string,
    @Param('inspectionId', UuidParam) inspectionId: string,
    @Param('findingId') findingId: string,
    @Body() dto: RespondToFindingDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = { ...dto, findingId: findingIdOf(findingId), evidenceRefs: dto.evidenceRefs ?? [] };
    const command = new RespondToFindingCommand(code, inspectionId, input, ctx);
    return commandAnswer(this.commands, res, command, { inspectionId, findingId });
  }

  @Post(':inspectionId/findings/:findingId/resolve')
  @Roles('agency-auditor')
  async resolve(
    @Param('code') code: string,
    @Param('inspectionId', UuidParam) inspectionId: string,
    @Param('findingId') findingId: string,
    @Body() dto: ResolveFindingDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const command = new ResolveFindingCommand(code, inspectionId, { ...dto, findingId: findingIdOf(findingId) }, ctx);
    return commandAnswer(this.commands, res, command, { inspectionId, findingId });
  }

  @Post(':inspectionId/findings/:findingId/escalate')
  @Roles('agency-auditor')
  async escalate(
    @Param('code') code: string,
    @Param('inspectionId', UuidParam) inspectionId: string,
    @Param('findingId') findingId: string,
    @Body() dto: EscalateFindingDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const command = new EscalateFindingCommand(code, inspectionId, { ...dto, findingId: findingIdOf(findingId) }, ctx);
    return commandAnswer(this.commands, res, command, { inspectionId, findingId });
  }
}
