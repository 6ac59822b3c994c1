import { BadRequestException, Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  AssignWorkerCommand,
  EndServiceCommand,
  FillPositionCommand,
  GetWorkforceQuery,
  RecordWorkerLeftCommand,
  RegisterWorkerCommand,
  VacatePositionCommand,
  type RequestContext,
  type WorkforceView,
} from '@ihl/application';
import { Ctx, Roles } from '../auth/auth.guard';
import { figurePartner } from '../http/figure-partner';
import { ownPartnerId } from '../http/partner-scope';
import { asOfOf } from '../http/position-query';
import { ValidQuery } from '../http/valid-query.decorator';
import { commandAnswer } from '../http/write-answer';
import {
  AssignWorkerDto,
  EndServiceDto,
  FillPositionDto,
  RegisterWorkerDto,
  VacatePositionDto,
  WORKFORCE_REF,
  WorkerLeftDto,
  WorkforceQueryDto,
} from './workforce.dto';

function refOf(field: string, value: string): string {
  if (WORKFORCE_REF.test(value)) return value;
  const message = 'must be 1-64 letters, digits, dots, dashes or underscores';
  throw new BadRequestException({ message: `${field}: ${message}`, issues: [{ field, rule: 'reference', message }] });
}

/** A figure about one partner: a partner reads its own, the agency must name the partner. */
export function requiredPartner(ctx: RequestContext, requested: string | undefined): string {
  const partnerId = figurePartner(ctx, requested);
  if (partnerId !== undefined) return partnerId;
  const message = 'must name the partner';
  throw new BadRequestException({
    message: `partnerId: ${message}`,
    issues: [{ field: 'partnerId', rule: 'required', message }],
  });
}

/**
 * A partner's mobile teams (docs/workforce.md): the partner records its own workers (references,
 * never names), positions vacated and filled, and persons whose service ended; the agency reads.
 */
@ApiTags('workforce')
@ApiBearerAuth()
@Controller('api/v1/projects/:code')
export class WorkforceController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('workforce/workers')
  @HttpCode(201)
  @Roles('partner-submitter')
  register(
    @Param('code') code: string,
    @Body() dto: RegisterWorkerDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { partnerId, ...input } = dto;
    const command = new RegisterWorkerCommand(code, ownPartnerId(ctx, partnerId), input, ctx);
    return commandAnswer(this.commands, res, command, { workerRef: dto.workerRef });
  }

  @Post('workforce/workers/:workerRef/assignments')
  @Roles('partner-submitter')
  assign(
    @Param('code') code: string,
    @Param('workerRef') workerRef: string,
    @Body() dto: AssignWorkerDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { partnerId, ...rest } = dto;
    const input = { ...rest, workerRef: refOf('workerRef', workerRef) };
    const command = new AssignWorkerCommand(code, ownPartnerId(ctx, partnerId), input, ctx);
    return commandAnswer(this.commands, res, command, { workerRef });
  }

  @Post('workforce/workers/:workerRef/departure')
  @Roles('partner-submitter')
  leave(
    @Param('code') code: string,
    @Param('workerRef') workerRef: string,
    @Body() dto: WorkerLeftDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = { leftOn: dto.leftOn, workerRef: refOf('workerRef', workerRef) };
    const command = new RecordWorkerLeftCommand(code, ownPartnerId(ctx, dto.partnerId), input, ctx);
    return commandAnswer(this.commands, res, command, { workerRef });
  }

  @Post('workforce/positions')
  @HttpCode(201)
  @Roles('partner-submitter')
  vacate(
    @Param('code') code: string,
    @Body() dto: VacatePositionDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { partnerId, ...input } = dto;
    const command = new VacatePositionCommand(code, ownPartnerId(ctx, partnerId), input, ctx);
    return commandAnswer(this.commands, res, command, { positionRef: dto.positionRef });
  }

  @Post('workforce/positions/:positionRef/fill')
  @Roles('partner-submitter')
  fill(
    @Param('code') code: string,
    @Param('positionRef') positionRef: string,
    @Body() dto: FillPositionDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { partnerId, ...rest } = dto;
    const input = { ...rest, positionRef: refOf('positionRef', positionRef) };
    const command = new FillPositionCommand(code, ownPartnerId(ctx, partnerId), input, ctx);
    return commandAnswer(this.commands, res, command, { positionRef });
  }

  @Post('service-endings')
  @HttpCode(201)
  @Roles('partner-submitter')
  endService(
    @Param('code') code: string,
    @Body() dto: EndServiceDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { partnerId, recipient, note, ...rest } = dto;
    const input = { ...rest, personalCode: recipient.personalCode, ...(note !== undefined ? { note } : {}) };
    const command = new EndServiceCommand(code, ownPartnerId(ctx, partnerId), input, ctx);
    return commandAnswer(this.commands, res, command, { endedOn: dto.endedOn });
  }

  /** The partner's workers, positions and service endings, with their history; `?asOf=` as they stood then. */
  @Get('workforce')
  @Roles('partner-submitter', 'agency-auditor', 'admin')
  async get(
    @Param('code') code: string,
    @ValidQuery(WorkforceQueryDto) q: WorkforceQueryDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const partnerId = requiredPartner(ctx, q.partnerId);
    const view = await this.queries.execute<GetWorkforceQuery, WorkforceView>(
      new GetWorkforceQuery({ projectCode: code, actor: ctx.actor, asOf: asOfOf(q.asOf), partnerId }),
    );
    res.setHeader('ETag', `"${view.revision}"`);
    return view;
  }
}
